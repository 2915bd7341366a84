"""Residual personal data: recognisers, the name model, redaction, and findings in the workspace."""

from .scanner import Entity, Scanner, load_scanner, make_pii_nlp

__all__ = ["Entity", "Scanner", "load_scanner", "make_pii_nlp"]
