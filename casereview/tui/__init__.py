"""The Textual review app. Screens and widgets live in their own modules; styles in app.tcss."""
