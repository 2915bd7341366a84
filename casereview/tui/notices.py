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

    def action_help_quit(self) -> None:
        """Ctrl+C, which does not quit (Textual keeps it for copying), pressed out of habit: which keys do, the app's
        own first. Textual's notice was markup shown as written ("Press [b]ctrl+q[/b] to quit the app") and named
        its own ctrl+q, not the q the footer shows."""
        from .screens.help import key_name  # the help screen's names of keys: "q", "ctrl+q"

        bindings = self.screen.active_bindings
        keys = sorted((key for key, active in bindings.items() if active.binding.action in ("quit", "app.quit")),
                      key=lambda key: bindings[key].binding.id != "quit")  # the app's own key (id "quit") first
        if keys:
            self.notify(f"Ctrl+C does not quit: press {' or '.join(map(key_name, keys))} (decisions are saved as "
                        "you make them)", title="Quit?")
