// Small behaviours that must work without inline scripts (the Content Security Policy forbids them).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});

// Forms (or their buttons) that change something hard to undo ask first: data-confirm="Question?".
// With data-confirm-if-filled="name …" they ask only when one of those fields holds something: an
// empty form has nothing to lose or send, and the server answers with the field to fill.
const holdsSomething = (form, names) =>
  names.split(/\s+/).some((name) => {
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLInputElement && field.type === "file") return field.files.length > 0;
    if (!field || !("value" in field)) return false;
    return String(field.value).replace(/<[^>]*>|&nbsp;/g, "").trim() !== "";
  });

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const button = event.submitter;
  const asker = button instanceof HTMLElement && button.dataset.confirm ? button : form;
  const question = asker.dataset.confirm;
  if (!question) return;
  const onlyIf = asker.dataset.confirmIfFilled;
  if (onlyIf && !holdsSomething(form, onlyIf)) return;
  if (!window.confirm(question)) event.preventDefault();
});

// Phone width: the navigation folds behind the "Menu" button. The button shows only when this
// script runs (without it every link stays visible); CSS hides it on wider screens.
const navToggle = document.querySelector("[data-nav-toggle]");
if (navToggle) {
  const nav = navToggle.closest("nav");
  const setOpen = (open) => {
    navToggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("nav-open", open);
  };
  nav.classList.add("nav-collapsible");
  navToggle.hidden = false;
  navToggle.addEventListener("click", () => setOpen(navToggle.getAttribute("aria-expanded") !== "true"));
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && navToggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      navToggle.focus();
    }
  });
}

// The audience picker (organisations/audience_widget.py): with this script the plain <select>
// gives way to a search box and a tree; choosing a unit sets the select's value.
document.querySelectorAll("[data-audience-picker]").forEach((picker) => {
  const select = picker.querySelector("[data-audience-select]");
  const enhanced = picker.querySelector("[data-audience-enhanced]");
  select.hidden = true;
  select.required = false; // the server still checks it; a hidden required field blocks sending
  enhanced.hidden = false;
  picker.addEventListener("click", (event) => {
    const expand = event.target.closest("[data-audience-expand]");
    if (expand) {
      const open = expand.getAttribute("aria-expanded") !== "true";
      expand.setAttribute("aria-expanded", String(open));
      const children = expand.closest(".audience-unit").querySelector(".audience-children");
      if (children) children.hidden = !open;
      return;
    }
    const choose = event.target.closest("[data-audience-choose]");
    if (!choose) return;
    let option = Array.from(select.options).find((o) => o.value === choose.value);
    if (!option) {
      option = new Option(choose.dataset.label, choose.value);
      select.add(option);
    }
    select.value = choose.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    picker.querySelector("[data-audience-chosen]").textContent = choose.dataset.label;
    picker.querySelectorAll("[data-audience-choose]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.value === choose.value));
    });
  });
});
