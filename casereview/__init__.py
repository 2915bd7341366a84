"""casereview: read children's social care case files faster and more consistently."""

__version__ = "0.1.0"
