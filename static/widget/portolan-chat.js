/* Portolan chat widget. One tag: <script src="/static/widget/portolan-chat.js" defer></script>
   Talks to ws(s)://<the script's host>/ws/chat/; keeps its token, last sequence, recent
   messages and unsent messages in localStorage, so a reload or a new page resumes. */
(function () {
  "use strict";
  if (window.PortolanChat) return;
  var src = new URL((document.currentScript && document.currentScript.src) || location.href);
  var URL_WS = (src.protocol === "https:" ? "wss://" : "ws://") + src.host + "/ws/chat/";
  var KEY = "portolan-chat", KEEP = 100, MAX = 4000;
  // title, open, close, label, send, typing, reconnecting, greeting, not sent, assistant, team
  var T = {
    en: ["Chat with us", "Open chat", "Close chat", "Your message", "Send", "Typing…", "Reconnecting…", "Hello! Ask us about products, prices, lead times or samples — we answer in your language.", "Not sent", "Assistant", "Sales team"],
    zh: ["在线咨询", "打开聊天", "关闭聊天", "您的消息", "发送", "正在输入…", "正在重新连接…", "您好！欢迎咨询产品、价格、交期或样品，我们用您的语言回复。", "未发送", "助手", "销售团队"],
    es: ["Chatea con nosotros", "Abrir chat", "Cerrar chat", "Tu mensaje", "Enviar", "Escribiendo…", "Reconectando…", "¡Hola! Pregúntanos por productos, precios, plazos de entrega o muestras; respondemos en tu idioma.", "No enviado", "Asistente", "Equipo de ventas"],
    pt: ["Fale conosco", "Abrir chat", "Fechar chat", "Sua mensagem", "Enviar", "Digitando…", "Reconectando…", "Olá! Pergunte sobre produtos, preços, prazos de entrega ou amostras — respondemos no seu idioma.", "Não enviada", "Assistente", "Equipe de vendas"],
    ru: ["Напишите нам", "Открыть чат", "Закрыть чат", "Ваше сообщение", "Отправить", "Печатает…", "Переподключение…", "Здравствуйте! Спросите о товарах, ценах, сроках поставки или образцах — мы ответим на вашем языке.", "Не отправлено", "Ассистент", "Отдел продаж"],
    ar: ["تحدث معنا", "فتح المحادثة", "إغلاق المحادثة", "رسالتك", "إرسال", "يكتب…", "جارٍ إعادة الاتصال…", "مرحبًا! اسألنا عن المنتجات والأسعار ومواعيد التسليم والعينات، وسنجيبك بلغتك.", "لم تُرسل", "المساعد", "فريق المبيعات"],
    fr: ["Discutons", "Ouvrir le chat", "Fermer le chat", "Votre message", "Envoyer", "En train d'écrire…", "Reconnexion…", "Bonjour ! Posez-nous vos questions sur les produits, les prix, les délais ou les échantillons — nous répondons dans votre langue.", "Non envoyé", "Assistant", "Équipe commerciale"],
    de: ["Chatten Sie mit uns", "Chat öffnen", "Chat schließen", "Ihre Nachricht", "Senden", "Schreibt…", "Verbindung wird wiederhergestellt…", "Hallo! Fragen Sie uns nach Produkten, Preisen, Lieferzeiten oder Mustern – wir antworten in Ihrer Sprache.", "Nicht gesendet", "Assistent", "Vertriebsteam"]
  };
  function pick(code) { code = String(code || "").toLowerCase().slice(0, 2); return T[code] ? code : "en"; }

  var state = { token: null, conv: null, seq: 0, msgs: [], out: [], lang: null };
  try { Object.assign(state, JSON.parse(localStorage.getItem(KEY)) || {}); } catch (e) { /* fresh */ }
  var browserLang = navigator.language || "en";
  var lang = pick(state.lang || browserLang);
  function save() {
    state.msgs = state.msgs.slice(-KEEP);
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  var css = ".pc-root{all:initial;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:#1f2933}" +
    ".pc-root *{box-sizing:border-box;font:inherit}" +
    ".pc-launch{position:fixed;bottom:20px;inset-inline-end:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;background:#0f2a44;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}" +
    ".pc-launch:focus-visible,.pc-root button:focus-visible,.pc-root textarea:focus-visible{outline:3px solid #2bb3a3;outline-offset:2px}" +
    ".pc-badge{position:absolute;top:2px;inset-inline-end:2px;width:14px;height:14px;border-radius:50%;background:#e0483e;border:2px solid #fff}" +
    ".pc-panel{position:fixed;bottom:88px;inset-inline-end:20px;z-index:2147483000;width:min(370px,calc(100vw - 24px));height:min(540px,calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(15,42,68,.28);display:flex;flex-direction:column;overflow:hidden}" +
    ".pc-panel[hidden],.pc-root [hidden]{display:none}" +
    ".pc-head{background:#0f2a44;color:#fff;padding:12px 14px;display:flex;align-items:center;justify-content:space-between}" +
    ".pc-head h2{margin:0;font-size:16px;font-weight:600}" +
    ".pc-x{background:none;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:2px 8px;border-radius:6px}" +
    ".pc-log{flex:1;overflow-y:auto;padding:14px;background:#f4f6f8;display:flex;flex-direction:column;gap:8px}" +
    ".pc-msg{max-width:82%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #e1e6eb;align-self:flex-start}" +
    ".pc-msg small{display:block;font-size:12px;color:#52606d;margin-bottom:2px}" +
    ".pc-buyer{align-self:flex-end;background:#0d7a6e;border-color:#0d7a6e;color:#fff}" +
    ".pc-pending{opacity:.6}.pc-failed{background:#fde8e7;border-color:#e0483e;color:#7a1f19}" +
    ".pc-note{font-size:13px;color:#52606d;padding:0 14px 6px;min-height:0}" +
    ".pc-form{display:flex;gap:8px;padding:10px;border-top:1px solid #e1e6eb;align-items:flex-end}" +
    ".pc-form textarea{flex:1;resize:none;border:1px solid #8795a1;border-radius:10px;padding:8px 10px;max-height:120px;min-height:40px;color:#1f2933;background:#fff}" +
    ".pc-send{border:0;border-radius:10px;background:#0f2a44;color:#fff;padding:9px 14px;cursor:pointer;font-weight:600}" +
    ".pc-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

  function el(tag, cls, parent) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }
  // The static frame only: messages are added with textContent, never as HTML.
  var root = el("div", "pc-root");
  root.innerHTML = "<style>" + css + "</style>" +
    '<button type="button" class="pc-launch" aria-expanded="false" aria-controls="pc-panel"><svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg><span class="pc-badge" hidden></span></button>' +
    '<div class="pc-panel" id="pc-panel" role="dialog" aria-labelledby="pc-title" hidden><div class="pc-head"><h2 id="pc-title"></h2><button type="button" class="pc-x">×</button></div>' +
    '<div class="pc-log" role="log" aria-live="polite"><div class="pc-msg"></div></div><div class="pc-note" role="status"></div>' +
    '<form class="pc-form"><label class="pc-sr" for="pc-input"></label><textarea id="pc-input" rows="1" maxlength="' + MAX + '"></textarea><button type="submit" class="pc-send"></button></form></div>';
  function $(sel) { return root.querySelector(sel); }
  var launch = $(".pc-launch"), badge = $(".pc-badge"), panel = $(".pc-panel"), title = $("h2"), closer = $(".pc-x");
  var log = $(".pc-log"), greeting = $(".pc-log .pc-msg"), note = $(".pc-note"), form = $("form"), label = $("label"), input = $("textarea"), send = $(".pc-send");

  var typingTimer = null, typingText = "", noteText = "";
  function t(i) { return T[lang][i]; }
  function setLang(code) {
    lang = pick(code);
    state.lang = lang;
    panel.dir = root.dir = lang === "ar" ? "rtl" : "ltr";
    panel.lang = lang === "zh" ? "zh-Hans" : lang;
    launch.setAttribute("aria-label", t(1));
    closer.setAttribute("aria-label", t(2));
    title.textContent = t(0);
    label.textContent = t(3);
    input.placeholder = t(3) + "…";
    send.textContent = t(4);
    greeting.textContent = t(7);
    log.querySelectorAll(".pc-failed").forEach(function (n) { n.title = t(8); });
    showNote();
  }
  function showNote() { note.textContent = typingText ? t(5) : noteText; }

  function render(m) {
    var node = el("div", "pc-msg pc-" + (m.w === "buyer" ? "buyer" : "other"));
    if (m.w !== "buyer") el("small", null, node).textContent = m.w === "assistant" ? t(9) : t(10);
    el("span", null, node).textContent = m.x;  // text only: buyer text is never HTML
    if (m.a) node.title = new Date(m.a).toLocaleString();
    if (m.s) { node.dataset.key = m.c + ":" + m.s; node.dataset.order = m.c * 1e7 + m.s; }
    if (m.id) node.dataset.id = m.id;
    return node;
  }
  function place(node) {
    var order = Number(node.dataset.order), after = null;
    var placed = log.querySelectorAll(".pc-msg[data-order]");
    for (var i = 0; i < placed.length; i++) if (Number(placed[i].dataset.order) > order) { after = placed[i]; break; }
    if (!after) after = log.querySelector(".pc-pending");
    log.insertBefore(node, after);
    log.scrollTop = log.scrollHeight;
  }
  state.msgs.forEach(function (m) { place(render(m)); });
  state.out.forEach(function (m) { var n = render({ w: "buyer", x: m.x, id: m.id }); n.classList.add("pc-pending"); log.appendChild(n); });

  var ws = null, ready = false, tries = 0, retry = null, open = false, lastTyping = 0;
  function connect() {
    if (ws || retry) return;
    ws = new WebSocket(URL_WS);
    ws.onopen = function () {
      tries = 0;
      ws.send(JSON.stringify({ type: "hello", token: state.token, last_seq: state.seq, conversation: state.conv, lang: browserLang, page: location.href }));
    };
    ws.onmessage = function (e) { var f; try { f = JSON.parse(e.data); } catch (x) { return; } receive(f); };
    ws.onclose = function (e) {
      ws = null;
      ready = false;
      if (e.code !== 4429) noteText = t(6);
      showNote();
      var wait = e.code === 4429 ? 60000 : Math.min(30000, 1000 * Math.pow(2, tries++)) * (0.5 + Math.random() / 2);
      retry = setTimeout(function () { retry = null; connect(); }, wait);
    };
  }
  function transmit(m) {
    if (ready) ws.send(JSON.stringify({ type: "message", text: m.x, client_id: m.id }));
  }
  function receive(f) {
    if (f.type === "welcome") {
      state.token = f.token;
      ready = true;
      if (f.conversation !== state.conv) { state.conv = f.conversation; state.seq = 0; }
      if (f.lang) setLang(f.lang);
      noteText = "";
      showNote();
      save();
      state.out.forEach(transmit);
    } else if (f.type === "message") {
      if (f.conversation !== state.conv) { if (f.conversation < state.conv) return; state.conv = f.conversation; state.seq = 0; }
      state.seq = Math.max(state.seq, f.seq);
      if (log.querySelector('[data-key="' + f.conversation + ":" + f.seq + '"]')) return save();
      var m = { c: f.conversation, s: f.seq, w: f.sender, x: f.text, a: f.at };
      var pending = f.client_id && log.querySelector('[data-id="' + f.client_id + '"]');
      if (pending) pending.remove();
      state.out = state.out.filter(function (o) { return o.id !== f.client_id; });
      state.msgs.push(m);
      place(render(m));
      if (f.sender !== "buyer") {
        typingText = "";
        showNote();
        if (f.lang) setLang(f.lang);
        if (!open) badge.hidden = false;
      }
      save();
    } else if (f.type === "typing") {
      typingText = f.sender;
      showNote();
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typingText = ""; showNote(); }, 20000);
    } else if (f.type === "error") {
      noteText = f.message || "";
      showNote();
      var failed = f.client_id && log.querySelector('[data-id="' + f.client_id + '"]');
      if (failed) {  // stays where it was written, after the messages received so far
        failed.classList.replace("pc-pending", "pc-failed");
        failed.title = t(8);
        failed.dataset.order = (state.conv || 0) * 1e7 + state.seq + 0.5;
      }
      state.out = state.out.filter(function (o) { return o.id !== f.client_id; });
      save();
    }
  }

  function uid() {  // 128 random bits; crypto.randomUUID is missing on plain-http pages
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function toggle(show) {
    open = show;
    panel.hidden = !show;
    launch.setAttribute("aria-expanded", String(show));
    if (show) { badge.hidden = true; connect(); input.focus(); log.scrollTop = log.scrollHeight; } else launch.focus();
  }
  launch.addEventListener("click", function () { toggle(!open); });
  closer.addEventListener("click", function () { toggle(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); toggle(false); } });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.onsubmit(e); }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (ready && state.conv && now - lastTyping > 3000) { lastTyping = now; ws.send('{"type":"typing"}'); }
  });
  form.onsubmit = function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    var m = { id: uid(), x: text.slice(0, MAX) };
    state.out.push(m);
    save();
    var node = render({ w: "buyer", x: m.x, id: m.id });
    node.classList.add("pc-pending");
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    input.value = "";
    transmit(m);
    connect();
  };

  setLang(lang);
  (document.body || document.documentElement).appendChild(root);
  if (state.token && state.conv) connect();  // a returning visitor gets replies sent while away
  window.PortolanChat = { open: function () { toggle(true); }, close: function () { toggle(false); } };
})();
