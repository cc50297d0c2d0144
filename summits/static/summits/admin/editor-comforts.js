// Comforts of the rich text editors (django-prose-editor) on the admin's change pages
// (summits.editorcomforts.EditorComfortsMixin): the browser checks the spelling in the summit's
// language, the toolbar speaks the editor's language, and the popups that add or change a
// participant or topic open on the tab of the summit's language (django-parler's ?language=).
// The summit's language is its form's language select; when it changes, all of this follows.
"use strict";
(() => {
  // Django's JavaScript catalog (the admin's, and EditorComfortsMixin's) defines these.
  const pgettext = (context, text) => (window.pgettext ? window.pgettext(context, text) : text);
  const interpolate = (format, values) =>
    window.interpolate
      ? window.interpolate(format, values, true)
      : format.replace(/%\((\w+)\)s/g, (_match, name) => values[name]);

  // Fields whose popups edit a name kept per language (django-parler's TranslatableAdmin).
  const TRANSLATED_RELATED_FIELDS = ["participants", "topics"];

  const languageSelect = () => document.querySelector("#summit_form select[name='language']");

  // The editors themselves, not the ".ProseMirror" box inside a toolbar dropdown.
  const editorElements = () => document.querySelectorAll(".prose-editor > .ProseMirror");

  const setLanguage = (element, language) => {
    if (language) {
      element.setAttribute("lang", language);
    } else {
      // No language chosen yet: the page's, the admin's, until one is.
      element.removeAttribute("lang");
    }
  };

  const setUpSpellChecking = (element) => {
    // summits.richtext leaves out the editor's NoSpellCheck, which would say "false" here.
    element.setAttribute("spellcheck", "true");
    const select = languageSelect();
    if (select) {
      setLanguage(element, select.value);
    }
  };

  // django-prose-editor 0.28 names its toolbar buttons in English, without gettext (only its
  // dialogs and a few titles go through it). Built on each call: the catalog may load later.
  const toolbarWords = () => ({
    bold: pgettext("rich text editor", "bold"),
    italic: pgettext("rich text editor", "italic"),
    "insert link": pgettext("rich text editor", "insert link"),
    "remove link": pgettext("rich text editor", "remove link"),
    "unordered list": pgettext("rich text editor", "unordered list"),
    "ordered list": pgettext("rich text editor", "ordered list"),
    blockquote: pgettext("rich text editor", "blockquote"),
    paragraph: pgettext("rich text editor", "paragraph"),
    Paragraph: pgettext("rich text editor", "Paragraph"),
    undo: pgettext("rich text editor", "undo"),
    redo: pgettext("rich text editor", "redo"),
  });

  const translated = (words, text) => {
    if (Object.hasOwn(words, text)) {
      return words[text];
    }
    const heading = /^([Hh])eading (\d)$/.exec(text);
    if (heading) {
      const format =
        heading[1] === "H"
          ? pgettext("rich text editor", "Heading %(level)s")
          : pgettext("rich text editor", "heading %(level)s");
      return interpolate(format, { level: heading[2] });
    }
    return null;
  };

  const translateToolbar = (toolbar) => {
    const words = toolbarWords();
    for (const button of toolbar.querySelectorAll("button")) {
      for (const name of ["title", "aria-label"]) {
        const text = button.getAttribute(name);
        const word = text && translated(words, text);
        if (word && word !== text) {
          button.setAttribute(name, word);
        }
      }
    }
    // The dropdown's choices ("Heading 2", "Paragraph") show their name as their text.
    for (const choice of toolbar.querySelectorAll(".prose-menubar__option > *")) {
      // Only when it differs: writing the text is a change the observer below sees.
      const word = translated(words, choice.textContent);
      if (word && word !== choice.textContent) {
        choice.textContent = word;
      }
    }
  };

  const setUpToolbar = (element) => {
    const toolbar = element.parentElement.querySelector(":scope > .prose-menubar");
    if (!toolbar) {
      return;
    }
    translateToolbar(toolbar);
    // The dropdown shows a copy of the button of the block the caret is in, made anew as the
    // caret moves, from a button that is not in the page: each copy is translated as it comes.
    new MutationObserver(() => translateToolbar(toolbar)).observe(toolbar, {
      childList: true,
      subtree: true,
    });
  };

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor } = event.detail;
    setUpSpellChecking(editor.view.dom);
    // Tiptap builds the toolbar (the Menu extension's onCreate) on its "create" event, a task
    // after "prose-editor:ready".
    if (editor.isInitialized) {
      setUpToolbar(editor.view.dom);
    } else {
      editor.on("create", () => setUpToolbar(editor.view.dom));
    }
  });

  const relatedLinks = () =>
    TRANSLATED_RELATED_FIELDS.flatMap((field) => {
      const wrapper = document
        .getElementById(`id_${field}`)
        ?.closest(".related-widget-wrapper");
      return wrapper ? [...wrapper.querySelectorAll("a.related-widget-wrapper-link")] : [];
    });

  const withLanguage = (address, language) => {
    const url = new URL(address, window.location.href);
    if (language) {
      url.searchParams.set("language", language);
    } else {
      url.searchParams.delete("language");
    }
    // Kept relative, as the admin writes it.
    return url.pathname + url.search + url.hash;
  };

  const setPopupLanguage = (language) => {
    for (const link of relatedLinks()) {
      if (link.hasAttribute("href")) {
        link.setAttribute("href", withLanguage(link.getAttribute("href"), language));
      }
      // The admin writes a change link's address anew from this template as the choice changes.
      if (link.dataset.hrefTemplate) {
        link.dataset.hrefTemplate = withLanguage(link.dataset.hrefTemplate, language);
      }
    }
  };

  const followLanguage = () => {
    const language = languageSelect()?.value ?? "";
    for (const element of editorElements()) {
      setLanguage(element, language);
    }
    setPopupLanguage(language);
  };

  const start = () => {
    const select = languageSelect();
    if (!select) {
      return;
    }
    setPopupLanguage(select.value);
    select.addEventListener("change", followLanguage);
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
