// The Submit buttons' <button data-confirm data-confirm-if-filled> are handled by app.js.

// The report editor: a <div contenteditable> over the report's <textarea data-rich-text>, with
// the toolbar the template renders (hidden until this script runs). The textarea stays the form's
// field: every change is copied into it and announced with an "input" event, so the autosave
// (htmx on the form, "input changed delay:3s") and the Save/Submit buttons work as without the
// editor. The server sanitises whatever arrives; nothing here is trusted for safety.
(() => {
  const REMOVED = "script, style, iframe, object, embed, img, svg, math, link, meta, form, input";
  const SAFE_URL = /^(https?:|mailto:)/i;

  // Parse HTML inertly (a <template> loads and runs nothing) and drop what the editor cannot keep.
  const fragmentFrom = (html) => {
    const template = document.createElement("template");
    template.innerHTML = html;
    template.content.querySelectorAll(REMOVED).forEach((node) => node.remove());
    template.content.querySelectorAll("*").forEach((node) => {
      for (const attribute of [...node.attributes]) {
        const keep = attribute.name === "href" && SAFE_URL.test(attribute.value.trim());
        if (!keep) node.removeAttribute(attribute.name);
      }
    });
    return template.content;
  };

  const setUp = (textarea) => {
    const toolbar = document.querySelector(`[data-editor-for="${textarea.id}"]`);
    if (!toolbar) return;
    const editor = document.createElement("div");
    editor.className = "rich-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    if (label) {
      label.id = label.id || `${textarea.id}-label`;
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", () => editor.focus());
    }
    editor.id = `${textarea.id}-editor`;
    editor.append(fragmentFrom(textarea.value));
    textarea.hidden = true;
    textarea.after(toolbar, editor);
    toolbar.setAttribute("aria-controls", editor.id);
    toolbar.hidden = false;
    // After an error the server marks the textarea `autofocus`; the editor takes the focus instead.
    if (textarea.hasAttribute("autofocus")) editor.focus();
    document.execCommand("defaultParagraphSeparator", false, "p");

    const sync = () => {
      textarea.value = editor.innerHTML;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    };
    editor.addEventListener("input", (event) => {
      event.stopPropagation(); // the form hears the textarea's event instead
      sync();
    });
    // Pasted text arrives as plain text: no foreign styles, fonts or scripts.
    editor.addEventListener("paste", (event) => {
      event.preventDefault();
      const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
      document.execCommand("insertText", false, text);
    });
    // Keep the caret and selection in the text while a button is pressed with the mouse.
    toolbar.addEventListener("mousedown", (event) => event.preventDefault());
    toolbar.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button[data-command]") : null;
      if (!button) return;
      event.preventDefault();
      editor.focus();
      const command = button.dataset.command;
      let value = button.dataset.value || null;
      if (command === "createLink") {
        value = (window.prompt(button.dataset.prompt || "URL", "https://") || "").trim();
        if (!SAFE_URL.test(value)) return;
      }
      document.execCommand(command, false, value);
      sync();
    });
  };

  document.querySelectorAll("textarea[data-rich-text]").forEach(setUp);
})();

// Topic checkboxes (<input data-choose-exactly="N">): once N are ticked (N−1 with one's own topic
// written), the others are disabled. The server checks the count again.
(() => {
  const limit = (form) => {
    const boxes = [...form.querySelectorAll("input[data-choose-exactly]")];
    if (!boxes.length) return;
    const own = form.querySelector("input[name='own_topic']");
    const max = Number(boxes[0].dataset.chooseExactly) - (own && own.value.trim() ? 1 : 0);
    const ticked = boxes.filter((box) => box.checked).length;
    boxes.forEach((box) => { box.disabled = !box.checked && ticked >= max; });
  };
  document.querySelectorAll("form").forEach((form) => {
    if (!form.querySelector("input[data-choose-exactly]")) return;
    form.addEventListener("input", () => limit(form));
    form.addEventListener("change", () => limit(form));
    limit(form);
  });
})();
