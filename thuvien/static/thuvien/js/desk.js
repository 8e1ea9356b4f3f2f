// The loan desk's scan queue. A keyboard-wedge scanner types the code and Enter: every scan is
// put in a queue kept in localStorage, then sent one at a time, in order, each with a key of its
// own. A scan the server did not answer (slow, down, the connection dropped) stays queued and is
// sent again, with the same key, until the server answers; the server does a key only once, so a
// retry of a scan it did already answers "done" and lends nothing twice. A reload keeps the queue.
(() => {
  const desk = document.querySelector("[data-desk]");
  if (!desk) return;
  const STORE = `thuvien.desk.${desk.dataset.school}`;
  const KEEP_FINISHED = 40;
  const TIMEOUT_MS = 15000;
  const log = desk.querySelector("[data-desk-log]");
  const status = desk.querySelector("[data-desk-status]");
  const holding = desk.querySelector("[data-desk-holding]");
  const loans = desk.querySelector("[data-desk-loans]");
  const text = desk.dataset;
  let counter = 0;
  let busy = false;
  let delay = 0;
  let problem = "";

  const load = () => {
    try {
      const stored = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch {
      return [];
    }
  };
  let queue = load();

  const save = () => {
    // Every scan not yet answered is kept; of the answered ones, the latest few (for the log).
    const finished = queue.filter((item) => item.state !== "pending").slice(-KEEP_FINISHED);
    queue = queue.filter((item) => item.state === "pending" || finished.includes(item));
    window.localStorage.setItem(STORE, JSON.stringify(queue));
  };

  const newKey = () => {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Plain http on a school's network is not a secure context: no randomUUID there.
    counter += 1;
    const random = Array.from(window.crypto.getRandomValues(new Uint32Array(3)), (n) =>
      n.toString(36),
    ).join("");
    return `${Date.now().toString(36)}-${random}-${counter}`;
  };

  const render = () => {
    log.replaceChildren(
      ...queue
        .slice()
        .reverse()
        .map((item) => {
          const line = document.createElement("li");
          line.className = `desk-scan desk-scan-${item.state}`;
          line.dataset.barcode = item.barcode;
          line.dataset.state = item.state;
          line.dataset.mode = item.mode;
          const code = document.createElement("strong");
          code.textContent = item.barcode;
          const words = document.createElement("span");
          words.textContent = ` ${item.message || text.textSending}`;
          line.append(code, words);
          return line;
        }),
    );
    const waiting = queue.filter((item) => item.state === "pending").length;
    status.textContent = [problem, waiting ? `${waiting} ${text.textQueued}` : ""]
      .filter(Boolean)
      .join(" ");
    desk.dataset.pending = String(waiting);
  };

  const addLoanRow = (answer) => {
    if (!loans) return;
    const row = document.createElement("tr");
    for (const value of [answer.title, answer.barcode, answer.due]) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.append(cell);
    }
    loans.append(row);
    if (holding) holding.textContent = String(Number(holding.textContent || "0") + 1);
  };

  const token = (item) => {
    const form = desk.querySelector(`[data-desk-scan][data-mode="${item.mode}"]`) || desk;
    const field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  const send = async (item) => {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const body = new URLSearchParams({
        mode: item.mode,
        reader: item.reader || "",
        barcode: item.barcode,
        key: item.key,
        found_at: item.foundAt || "",
      });
      const response = await fetch(text.scanUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": token(item), Accept: "application/json" },
        signal: controller.signal,
      });
      const isJson = (response.headers.get("content-type") || "").includes("application/json");
      const answer = isJson ? await response.json() : null;
      if (answer && response.ok) return { state: "done", answer };
      if (answer && answer.state === "refused") return { state: "refused", answer };
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        return { state: "login" };
      }
      return { state: "retry" };
    } catch {
      return { state: "retry" };
    } finally {
      window.clearTimeout(timer);
    }
  };

  const pump = async () => {
    if (busy) return;
    const item = queue.find((entry) => entry.state === "pending");
    if (!item) {
      render();
      return;
    }
    busy = true;
    render();
    const result = await send(item);
    busy = false;
    if (result.state === "done" || result.state === "refused") {
      item.state = result.state === "done" ? result.answer.state : "refused";
      item.message = result.answer.message;
      if (result.state === "done" && result.answer.state === "done" && item.mode === "out") {
        addLoanRow(result.answer);
      }
      problem = "";
      delay = 0;
      save();
      render();
      pump();
      return;
    }
    problem = result.state === "login" ? text.textLogin : text.textWaiting;
    delay = Math.min(delay ? delay * 2 : 500, 8000);
    save();
    render();
    window.setTimeout(pump, delay);
  };

  desk.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-desk-scan")) return;
    event.preventDefault();
    const field = form.elements.namedItem("barcode");
    const barcode = field.value.trim();
    field.value = "";
    field.focus();
    if (!barcode) return;
    let reader = form.dataset.reader || "";
    const from = form.dataset.readerFrom;
    if (from) {
      // Down a class list: the ticked student gets this copy, and the next one is ticked.
      const ticks = Array.from(desk.querySelectorAll(`input[type=radio][name="${from}"]`));
      const at = ticks.findIndex((tick) => tick.checked);
      if (at < 0) {
        problem = text.textChoose;
        render();
        return;
      }
      reader = ticks[at].value;
      ticks[at].closest("tr").dataset.scanned = barcode;
      if (ticks[at + 1]) ticks[at + 1].checked = true;
    }
    // A stocktake's scan says where the copy was found (the shelf being counted).
    const place = form.querySelector("[data-desk-found-at]");
    queue.push({
      key: newKey(),
      mode: form.dataset.mode,
      reader,
      foundAt: place ? place.value.trim() : "",
      barcode,
      state: "pending",
      message: "",
    });
    save();
    render();
    pump();
  });

  window.addEventListener("online", () => {
    delay = 0;
    pump();
  });
  window.addEventListener("storage", (event) => {
    if (event.key === STORE) queue = load();
  });
  render();
  pump();
})();
