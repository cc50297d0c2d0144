// Select to anchor (the summit form, admin.SummitAdmin): the editor selects words in the
// article editor and makes them a new agreement's or dispute's passage, or re-anchors an
// item to them, with no copying. The row gets the words, the text around them and their
// place in the article's plain text; the server finds them there (summits.forms.place_passage)
// and keeps the context itself.
//
// The plain text is built as the server builds it from the article's HTML
// (summits.annotate.html_to_text): blocks apart by one line break, whitespace collapsed.
"use strict";
(() => {
  const script = document.currentScript;
  const label = (name) => script.dataset[name];
  const CONTEXT = Number(script.dataset.context || 32);
  const BLOCKS = new Set(
    "ADDRESS ARTICLE ASIDE BLOCKQUOTE BR CAPTION DD DETAILS DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL".split(
      " ",
    ),
  );

  // The plain text of a node or a fragment of the article.
  const plainText = (root) => {
    let text = "";
    let space = false;
    let block = false;
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          for (const char of child.data) {
            if (/\s/.test(char)) {
              space = text.length > 0;
            } else {
              if (block) {
                text += "\n";
              } else if (space) {
                text += " ";
              }
              text += char;
              space = block = false;
            }
          }
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          // ProseMirror's own line break in an empty paragraph is not the article's.
          if (child.classList.contains("ProseMirror-trailingBreak")) {
            continue;
          }
          const isBlock = BLOCKS.has(child.tagName);
          if (isBlock && text) {
            block = true;
          }
          walk(child);
          if (isBlock && text) {
            block = true;
          }
        }
      }
    };
    walk(root);
    return { text, openBreak: block ? "\n" : space ? " " : "" };
  };

  // The editor itself, not the ".ProseMirror" box inside its toolbar's dropdown.
  const article = () => document.querySelector(".field-body .prose-editor > .ProseMirror");

  // The last selection of words in the article, kept while the editor clicks a button; it
  // is described (a walk over the whole article) only when a button asks for it.
  let chosen = null;

  const describe = (range, editor) => {
    const before = document.createRange();
    before.setStart(editor, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const head = plainText(before.cloneContents()).text;
    const words = plainText(range.cloneContents()).text;
    const whole = plainText(editor).text;
    // The text before a selection ends where its block or word ends: one separator follows,
    // unless the selection begins inside a word.
    let start = head.length + (head ? 1 : 0);
    if (whole.slice(start, start + words.length) !== words) {
      start = head.length;
    }
    return {
      quote: words,
      prefix: whole.slice(Math.max(0, start - CONTEXT), start),
      suffix: whole.slice(start + words.length, start + words.length + CONTEXT),
      start,
    };
  };

  const status = () => document.querySelector(".anchor-toolbar-status");

  const say = (message) => {
    const line = status();
    if (line) {
      line.textContent = message;
    }
  };

  const setChosen = (range) => {
    const words = range ? range.toString().replace(/\s+/g, " ").trim() : "";
    chosen = words ? range.cloneRange() : null;
    for (const button of document.querySelectorAll(".anchor-toolbar button")) {
      button.disabled = !chosen;
    }
    say(chosen ? label("selected").replace("%(words)s", words) : label("hint"));
  };

  // The chosen words described, or null (with a word to the editor) when there are none
  // or they run across paragraphs.
  const passage = () => {
    const editor = article();
    if (!chosen || !editor) {
      say(label("hint"));
      editor?.scrollIntoView({ block: "center" });
      return null;
    }
    const described = describe(chosen, editor);
    if (!described.quote || described.quote.includes("\n")) {
      say(label("oneParagraph"));
      return null;
    }
    return described;
  };

  document.addEventListener("selectionchange", () => {
    const editor = article();
    const selection = document.getSelection();
    if (!editor || !selection || selection.rangeCount === 0) {
      return;
    }
    const range = selection.getRangeAt(0);
    if (!editor.contains(range.commonAncestorContainer)) {
      return; // a click on a button or another field keeps the article's selection
    }
    setChosen(range.collapsed ? null : range);
  });

  const fill = (row, found) => {
    const field = (name) => document.querySelector(`[name="${row}-${name}"]`);
    const quote = field("quote");
    quote.value = found.quote;
    field("quote_prefix").value = found.prefix;
    field("quote_suffix").value = found.suffix;
    const start = field("quote_start");
    if (start && start.type === "hidden") {
      start.value = String(found.start);
    } else if (start) {
      // The places listed to pick from: the selection has picked one.
      for (const choice of document.querySelectorAll(`[name="${row}-quote_start"]`)) {
        choice.checked = choice.value === String(found.start);
      }
    }
    quote.dispatchEvent(new Event("input", { bubbles: true }));
    quote.dispatchEvent(new Event("change", { bubbles: true }));
  };

  const addItem = (kind) => {
    const found = passage();
    const group = document.querySelector(`fieldset.item-kind-${kind}`)?.closest(".inline-group");
    const add = group?.querySelector(".add-row a");
    if (!found || !add) {
      return;
    }
    add.click();
    const rows = group.querySelectorAll(".inline-related:not(.empty-form)");
    const row = rows[rows.length - 1];
    fill(row.id, found);
    row.scrollIntoView({ block: "center" });
    row.querySelector(`[name="${row.id}-title"]`).focus();
    say(label("added").replace("%(words)s", found.quote));
  };

  const reanchor = (button) => {
    const found = passage();
    if (!found) {
      return;
    }
    fill(button.dataset.row, found);
    const state = button.closest(".anchor-state");
    const note = state.querySelector(".anchor-reanchored") || document.createElement("p");
    note.className = "anchor-reanchored";
    note.textContent = label("reanchored").replace("%(words)s", found.quote);
    state.append(note);
  };

  const toolbar = () => {
    const bar = document.createElement("div");
    bar.className = "anchor-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", label("toolbar"));
    for (const [kind, text] of [
      ["agreement", label("agreement")],
      ["dispute", label("dispute")],
    ]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = text;
      button.disabled = true;
      button.dataset.kind = kind;
      // Keeps the selection in the article: the button takes no focus on a click.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => addItem(kind));
      bar.append(button);
    }
    const line = document.createElement("span");
    line.className = "anchor-toolbar-status";
    line.setAttribute("aria-live", "polite");
    line.textContent = label("hint");
    bar.append(line);
    return bar;
  };

  const start = () => {
    const body = document.querySelector(".field-body");
    if (!body) {
      return;
    }
    body.append(toolbar());
    for (const button of document.querySelectorAll(".anchor-reselect")) {
      button.hidden = false;
    }
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".anchor-reselect");
    if (button) {
      reanchor(button);
    }
  });
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest(".anchor-reselect")) {
      event.preventDefault();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
