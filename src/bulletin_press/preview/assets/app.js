// The preview page: pages as pictures from the server, refreshed on server-sent events.
"use strict";
// The words of the page, in the editor's language (made by the server, see page_words()).
const WORDS = JSON.parse(document.getElementById("words").textContent);
const pageName = n => WORDS.page.replace("{n}", n);
let state = null;
let zoom = Number(localStorage.getItem("bp-zoom") || 1);
let spreads = localStorage.getItem("bp-spreads") !== "0";
const dpr = window.devicePixelRatio || 1;
const pageElements = new Map();  // page number → {div, img, hash}

function pictureScale() { return Math.round(zoom * dpr * 4) / 4; }

function groups(pages) {
  if (!spreads) return pages.map(p => [p]);
  const out = [[pages[0]]];  // page 1 alone, then facing pages 2–3, 4–5 …
  for (let i = 1; i < pages.length; i += 2) out.push(pages.slice(i, i + 2));
  return out.filter(g => g[0]);
}

function pageElement(page) {
  let entry = pageElements.get(page.number);
  if (!entry) {
    const div = document.createElement("div");
    div.className = "page";
    div.id = `page-${page.number}`;
    const img = document.createElement("img");
    img.alt = pageName(page.number);
    img.dataset.page = page.number;
    const label = document.createElement("div");
    label.className = "label";
    label.textContent = page.number;
    div.append(img, label);
    entry = { div, img, hash: null, scale: null };
    pageElements.set(page.number, entry);
  }
  entry.div.style.width = `${page.width * zoom}px`;
  entry.div.style.height = `${page.height * zoom}px`;
  const scale = pictureScale();
  if (entry.hash !== page.hash || entry.scale !== scale) {  // only changed pages are fetched
    entry.img.src = `/page/${page.number}.png?scale=${scale}&h=${page.hash}`;
    entry.img.dataset.hash = page.hash;
    entry.hash = page.hash;
    entry.scale = scale;
  }
  entry.div.querySelectorAll(".mark").forEach(m => m.remove());
  return entry.div;
}

function render() {
  document.getElementById("title").textContent = state.title || "…";
  document.title = `${state.title || "preview"} — bulletin_press`;
  document.getElementById("status").textContent = state.status;
  document.getElementById("zoom-level").textContent = `${Math.round(zoom * 100)}%`;
  const overlay = document.getElementById("error-overlay");
  overlay.hidden = !state.error;
  document.getElementById("error-text").textContent = (state.error || []).join("\n\n");

  const main = document.getElementById("pages");
  const rows = groups(state.pages).map(group => {
    const row = document.createElement("div");
    row.className = "spread";
    group.forEach(p => row.append(pageElement(p)));
    return row;
  });
  for (const number of [...pageElements.keys()]) {
    if (number > state.pages.length) pageElements.delete(number);
  }
  main.replaceChildren(...rows);

  const thumbs = document.getElementById("thumbs");
  thumbs.replaceChildren(...state.pages.map(p => {
    const a = document.createElement("a");
    a.href = `#page-${p.number}`;
    const img = document.createElement("img");
    img.src = `/page/${p.number}.png?scale=0.25&h=${p.hash}`;
    img.alt = pageName(p.number);
    a.append(img, document.createTextNode(String(p.number)));
    return a;
  }));

  // While the pages on screen are checked, say so: the list is the last build's.
  document.getElementById("finding-state").textContent = state.checking
    ? WORDS.checking : (state.pages.length ? state.tally : "");
  document.getElementById("findings").classList.toggle("checking", state.checking);
  const list = document.getElementById("finding-list");
  list.replaceChildren(...state.findings.map((f, i) => {
    const li = document.createElement("li");
    li.dataset.code = f.code;
    const sev = document.createElement("span");
    sev.className = `sev ${f.severity}`;
    sev.textContent = f.label;
    li.append(sev, ` ${f.message}`, f.page ? ` (${f.page_name})` : "");
    if (f.hint) {
      const hint = document.createElement("div");
      hint.className = "hint";
      hint.textContent = f.hint;
      li.append(hint);
    }
    if (f.page && pageElements.has(f.page)) {
      const page = state.pages[f.page - 1];
      const div = pageElements.get(f.page).div;
      let mark = null;
      if (f.box) {
        mark = document.createElement("div");
        mark.className = `mark ${f.severity}`;
        mark.id = `mark-${i}`;
        const [x0, top, x1, bottom] = f.box.map(v => (v + page.bleed) * zoom);
        Object.assign(mark.style, { left: `${x0 - 2}px`, top: `${top - 2}px`,
          width: `${x1 - x0 + 4}px`, height: `${bottom - top + 4}px` });
        div.append(mark);
      }
      li.addEventListener("click", () => {
        (mark || div).scrollIntoView({ behavior: "smooth", block: "center" });
        if (mark) { mark.classList.add("flash"); setTimeout(() => mark.classList.remove("flash"), 1500); }
      });
    }
    return li;
  }));
}

// The newest state wins: the first fetch may answer after the events brought a newer one.
function show(next) {
  if (state && next.version < state.version) return;
  state = next;
  const scrollY = window.scrollY;
  render();
  window.scrollTo(0, scrollY);  // keep the reader's place
  document.body.dataset.version = state.version;
  window.bpShown[state.version] = performance.timeOrigin + performance.now();
}

async function load() {
  const response = await fetch("/api/state", { cache: "no-store" });
  show(await response.json());
}

function setZoom(value) {
  zoom = Math.min(3, Math.max(0.25, value));
  localStorage.setItem("bp-zoom", zoom);
  if (state) render();
}

document.getElementById("zoom-in").onclick = () => setZoom(zoom * 1.25);
document.getElementById("zoom-out").onclick = () => setZoom(zoom / 1.25);
const spreadBox = document.getElementById("spreads");
spreadBox.checked = spreads;
spreadBox.onchange = () => { spreads = spreadBox.checked; localStorage.setItem("bp-spreads", spreads ? "1" : "0"); render(); };

// When each state was shown (ms since the epoch): bench/preview_latency.py reads it.
window.bpShown = {};
// Each event carries the state itself: no second request before the pictures are asked for.
new EventSource("/api/events").onmessage = event => show(JSON.parse(event.data));
load();
