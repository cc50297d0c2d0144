"""Rich text: the editor's extensions and the server-side sanitiser derived from them."""

from django_prose_editor.fields import create_sanitizer

LINK = {"enableTarget": False, "protocols": ["http", "https", "mailto"]}
# django-prose-editor turns the browser's spell checking off unless told otherwise; the admin
# turns it on, in the summit's language (summits/static/summits/admin/editor-comforts.js).
SPELL_CHECKING = {"NoSpellCheck": False}

# What an article body may contain: paragraphs, emphasis, links, lists, quotes, headings h2–h4.
ARTICLE_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": LINK,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    **SPELL_CHECKING,
}

# Item summaries and notes are short: no headings or quotes.
SUMMARY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": LINK,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    **SPELL_CHECKING,
}

sanitize_article = create_sanitizer(ARTICLE_EXTENSIONS)
sanitize_summary = create_sanitizer(SUMMARY_EXTENSIONS)
