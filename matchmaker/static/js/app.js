// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

// Posting form: propose the likely industrial chain from the text typed so far; the user confirms by clicking.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("posting-form");
  const box = document.getElementById("chain-suggestion");
  const select = form && form.querySelector("select[name=chain_id]");
  if (!form || !box || !select) return;
  const fields = ["title", "keywords", "summary", "problem", "innovations", "targets"]
    .map((name) => form.querySelector(`[name=${name}]`)).filter(Boolean);
  let timer = null;
  const suggest = () => {
    const text = fields.map((f) => f.value).join(" ").trim();
    if (text.length < 6) { box.replaceChildren(); return; }
    fetch(`${box.dataset.url}?text=${encodeURIComponent(text.slice(0, 3000))}`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : []))
      .then((items) => {
        box.replaceChildren();
        if (!items.length) return;
        box.append(document.createTextNode(box.dataset.label + " "));
        items.forEach((item) => {
          const b = document.createElement("button");
          b.type = "button";
          b.className = "btn btn-link btn-sm p-0 me-2 chain-pick";
          b.textContent = item.name;
          b.addEventListener("click", () => { select.value = String(item.id); });
          box.append(b);
        });
      })
      .catch(() => box.replaceChildren());
  };
  fields.forEach((f) => f.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 400); }));
  suggest();
});

// Registration: show whether the credit code is valid and counts as 本地 or 外地 while it is typed
// (the 检查信用代码 button gives the same answer from the server without this script).
document.addEventListener("DOMContentLoaded", () => {
  const hint = document.getElementById("locality-hint");
  const input = document.querySelector("input[name=org_credit_code]");
  if (!hint || !input) return;
  let timer = null;
  const check = () => {
    const code = input.value.trim();
    if (code.length < 18) { hint.replaceChildren(); return; }
    fetch(`${hint.dataset.url}?code=${encodeURIComponent(code.slice(0, 40))}`, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((info) => {
        hint.replaceChildren();
        if (!info) return;
        if (!info.valid) {
          const span = document.createElement("span");
          span.className = "text-danger";
          span.textContent = info.problem;
          hint.append(span);
          return;
        }
        const badge = document.createElement("span");
        badge.className = info.is_local ? "badge text-bg-success" : "badge text-bg-light border";
        badge.textContent = info.is_local ? hint.dataset.local : hint.dataset.remote;
        hint.append(badge, document.createTextNode(" " + info.reason));
      });
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 300); });
});
