"""The apps' notices are text as written, never Textual markup."""

from __future__ import annotations


class PlainNotices:
    """For an App: every notice it shows (``notify``) is plain text.

    Notices name workspaces, files and reviewers, and carry the library's messages: read as markup, a folder
    "QA [draft]" lost its "[draft]", "[/b]" closing no tag ended the app with a MarkupError, and "[@click=...]"
    would make a link that runs an action. None of the apps' notices is styled by markup.
    """

    def notify(self, message: str, *, markup: bool = False, **options):
        return super().notify(message, markup=markup, **options)
