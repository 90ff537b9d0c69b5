// The sandbox's web chat: plays one Telegram user through the local Bot API emulator's
// control API (/_emulator), and shows what the real bot sends, buttons included.
"use strict";

const api = "/_emulator";
const state = { userId: null, revision: 0, entries: new Map(), seenCallbacks: new Set() };

function newUserId() {
  return 100000 + Math.floor(Math.random() * 899999999);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

const TAGS = {
  bold: ["<b>", "</b>"], italic: ["<i>", "</i>"], underline: ["<u>", "</u>"],
  strikethrough: ["<s>", "</s>"], code: ["<code>", "</code>"], pre: ["<pre>", "</pre>"],
  blockquote: ["<blockquote>", "</blockquote>"], spoiler: ["<span class=spoiler>", "</span>"],
};

// Telegram entity offsets count UTF-16 code units, as JavaScript strings do.
function renderEntities(text, entities) {
  const opens = new Map(), closes = new Map();
  for (const e of entities || []) {
    let tag = TAGS[e.type];
    const href = e.type === "text_link" ? e.url : e.type === "url" ? text.substr(e.offset, e.length) : null;
    // Only web links become links: a javascript: or data: URL stays plain text.
    if (href !== null) tag = /^https?:\/\//i.test(href) ? [`<a href="${escapeHtml(href)}" target="_blank" rel="noopener">`, "</a>"] : null;
    if (!tag) continue;
    (opens.get(e.offset) || opens.set(e.offset, []).get(e.offset)).push(tag[0]);
    const end = e.offset + e.length;
    (closes.get(end) || closes.set(end, []).get(end)).unshift(tag[1]);
  }
  let html = "";
  for (let i = 0; i <= text.length; i++) {
    if (closes.has(i)) html += closes.get(i).join("");
    if (opens.has(i)) html += opens.get(i).join("");
    if (i < text.length) html += escapeHtml(text[i]);
  }
  return html;
}

async function call(path, options = {}) {
  const response = await fetch(api + path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.description || body.error || response.statusText);
  return body;
}

function postJson(path, payload) {
  return call(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
}

function toast(text) {
  const box = document.getElementById("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

function keyboardOf(entry) {
  const markup = (entry.message && entry.message.reply_markup) || entry.keyboard || {};
  const rows = markup.inline_keyboard || [];
  if (!rows.length) return null;
  const grid = document.createElement("div");
  grid.className = "keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.text;
      if (button.url) element.onclick = () => window.open(button.url, "_blank", "noopener");
      else element.onclick = () => press(entry.message_id, button.callback_data);
      line.appendChild(element);
    }
    grid.appendChild(line);
  }
  return grid;
}

function bubbleOf(entry) {
  const message = entry.message || {};
  const bubble = document.createElement("div");
  bubble.className = `bubble ${entry.sender}` + (entry.deleted ? " deleted" : "");
  bubble.dir = "auto";
  bubble.dataset.messageId = entry.message_id;
  const body = document.createElement("div");
  body.className = "text";
  if (entry.deleted) body.textContent = "(message supprimé)";
  else if (message.document) body.innerHTML = `<span class="doc">📄 ${escapeHtml(message.document.file_name || "document")}</span>`
    + (message.caption ? "\n" + renderEntities(message.caption, message.caption_entities) : "");
  else body.innerHTML = renderEntities(message.text || "", message.entities);
  bubble.appendChild(body);
  const keyboard = entry.deleted ? null : keyboardOf(entry);
  if (keyboard) bubble.appendChild(keyboard);
  if (entry.edited) {
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = "modifié";
    bubble.appendChild(meta);
  }
  return bubble;
}

// Only bubbles whose message changed are rebuilt, so a button is never swapped out from
// under the pointer while another message arrives.
function render(changed) {
  const main = document.getElementById("transcript");
  const atBottom = main.scrollHeight - main.scrollTop - main.clientHeight < 40;
  for (const entry of changed) {
    const fresh = bubbleOf(entry);
    const current = main.querySelector(`[data-message-id="${entry.message_id}"]`);
    if (current) { current.replaceWith(fresh); continue; }
    const later = [...main.children].find((b) => Number(b.dataset.messageId) > entry.message_id);
    main.insertBefore(fresh, later || null);
  }
  if (atBottom) main.scrollTop = main.scrollHeight;
}

function absorb(changes) {
  const changed = [];
  for (const entry of changes.entries || []) {
    const known = state.entries.get(entry.message_id);
    if (!known || known.revision !== entry.revision) changed.push(entry);
    state.entries.set(entry.message_id, entry);
  }
  for (const answer of changes.callbacks || []) {
    if (answer.answered && answer.text && !state.seenCallbacks.has(answer.callback_query_id)) {
      state.seenCallbacks.add(answer.callback_query_id);
      toast(answer.text);
    }
  }
  state.revision = Math.max(state.revision, changes.revision || 0);
  render(changed);
}

async function follow() {
  const user = state.userId;
  while (user === state.userId) {
    try {
      absorb(await call(`/chats/${user}/changes?since=${state.revision}&timeout=25`));
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function send(text) {
  if (!text.trim()) return;
  await postJson(`/chats/${state.userId}/messages`, { text });
}

async function press(messageId, data) {
  try { await postJson(`/chats/${state.userId}/callbacks`, { message_id: messageId, data }); }
  catch (error) { toast(error.message); }
}

async function upload(file) {
  const form = new FormData();
  form.append("file", file, file.name);
  try { await call(`/chats/${state.userId}/documents`, { method: "POST", body: form }); }
  catch (error) { toast(error.message); }
}

async function showCommands() {
  const info = await call("/bot");
  document.getElementById("bot-name").textContent = info.me.first_name;
  const language = (navigator.language || "fr").slice(0, 2);
  // Command lists are keyed "<scope JSON>|<language>"; prefer the user's language.
  const lists = Object.entries(info.commands || {});
  const scoped = lists.find(([key]) => key.endsWith("|" + language)) || lists.find(([key]) => key.endsWith("|")) || lists[0];
  const nav = document.getElementById("commands");
  nav.replaceChildren(...((scoped && scoped[1]) || []).map((command) => {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.textContent = "/" + command.command;
    chip.title = command.description;
    chip.onclick = () => send("/" + command.command);
    return chip;
  }));
}

async function start(userId) {
  state.userId = userId;
  state.revision = 0;
  state.entries.clear();
  document.getElementById("transcript").replaceChildren();
  localStorage.setItem("sandbox-user", String(userId));
  const language = (navigator.language || "fr").slice(0, 2);
  await call(`/users/${userId}`, { method: "PUT", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ first_name: "Vous", language_code: language }) });
  absorb(await call(`/chats/${userId}`));
  follow();
  setTimeout(showCommands, 1500);
}

document.getElementById("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  const text = input.value;
  input.value = "";
  try { await send(text); } catch (error) { toast(error.message); }
});
document.getElementById("file").addEventListener("change", (event) => {
  if (event.target.files.length) upload(event.target.files[0]);
  event.target.value = "";
});
document.getElementById("new-user").addEventListener("click", () => start(newUserId()));

start(Number(localStorage.getItem("sandbox-user")) || newUserId());
