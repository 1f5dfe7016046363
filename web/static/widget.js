// Kuiwen Civic Assistant: the embeddable chat widget, and the full chat page (data-mode="page").
// One classic script, no build step. It renders into a shadow root so that its styles and the host
// page's styles cannot touch each other. Every question, answer and corpus text is inserted as text
// (textContent / text nodes), never as HTML.
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script?.src) return;
  const API = new URL(script.src, location.href).origin;
  const opts = script.dataset;
  const PAGE_MODE = opts.mode === "page";

  // The feedback API's comment limit (POST /api/feedback); the question limit comes from the server.
  const COMMENT_MAX = 500;
  // The counter shows once a question is this close to the limit.
  const COUNTER_MARGIN = 100;
  // Characters of the surrounding document shown on each side of a cited passage.
  const SOURCE_CONTEXT = 240;
  // A request that takes longer than this is treated as a network failure.
  const TIMEOUT_MS = 30000;
  // Earlier turns sent with each question (the API takes at most 6), and the longest answer it takes back.
  const HISTORY_TURNS = 6;
  const HISTORY_ANSWER_MAX = 2000;

  const TEXT = {
    zh: {
      htmlLang: "zh-CN",
      title: "奎文区政务问答",
      open: "打开政务问答",
      launcher: "问答",
      close: "关闭问答",
      intro: "我根据区里已发布的文件回答，并注明出处。",
      hotlineIntro: (h) => `文件里没有的内容，请拨打 ${h} 政务服务便民热线。`,
      suggestions: "您可以这样问：",
      label: "您的问题",
      placeholder: "请输入问题，按回车发送",
      hint: "回车发送，Shift+回车换行",
      send: "发送",
      waiting: "请稍候",
      thinking: "正在查阅已发布的文件…",
      you: "您的问题：",
      bot: "回答：",
      log: "对话记录",
      sources: "出处：",
      chip: (n, title) => `出处 ${n}：《${title}》`,
      from: (date, title) => (date ? `据${date}发布的《${title}》` : `据《${title}》`),
      date: (y, m, d) => `${y}年${m}月${d}日`,
      // Headings of the three kinds of decline (the reply's `reason`).
      declined: "文件中没有直接答案",
      detailHead: "文件提到了这件事，但没有公布这一细节",
      scopeHead: "只能回答与已发布文件有关的问题",
      detailSources: "文件中的相关原文：",
      asOf: (date) => `截至${date}`,
      hotline: (h) => `拨打 ${h} 政务服务便民热线`,
      errNetwork: "网络连接失败，没有收到回答。请检查网络后重试。",
      errBusy: (s) => (s ? `提问太频繁了，请 ${s} 秒后重试。` : "提问太频繁了，请稍等片刻再重试。"),
      errServer: "服务暂时出了问题，没有收到回答。请稍后重试。",
      errOther: "这个问题没有提交成功。",
      retry: "重试",
      counter: (n, max) => `${n}/${max} 字`,
      tooLong: (n, max) => `${n}/${max} 字，超出 ${n - max} 字，请删减后再发送`,
      langButton: "English",
      langLabel: "Switch to English",
      newChat: "新对话",
      newChatLabel: "开始新对话（清空当前对话）",
      understood: (q) => `理解为：${q}`,
      closeSource: "关闭出处",
      loadingSource: "正在载入原文…",
      sourceFailed: "原文载入失败，下面是引用的段落：",
      feedbackAsk: "这个回答有帮助吗？",
      helpful: "有帮助",
      notHelpful: "没帮助",
      comment: "补充意见（可选）",
      commentSend: "提交意见",
      thanks: "谢谢您的反馈！",
      thanksComment: "意见已收到，谢谢！",
      feedbackFailed: "反馈没有提交成功，请稍后再试。",
    },
    en: {
      htmlLang: "en",
      title: "Kuiwen District Q&A",
      // An accessible name holds the visible label, first (WCAG 2.5.3): speech users say what they see.
      open: "Ask: open the district Q&A",
      launcher: "Ask",
      close: "Close the Q&A",
      intro: "I answer from the district's published documents and show where each answer comes from.",
      hotlineIntro: (h) => `For anything they don't cover, call the ${h} government service hotline.`,
      suggestions: "You could ask:",
      label: "Your question",
      placeholder: "Type a question and press Enter",
      hint: "Enter sends, Shift+Enter adds a line",
      send: "Send",
      waiting: "Please wait",
      thinking: "Looking through the published documents…",
      you: "You asked:",
      bot: "Answer:",
      log: "Conversation",
      sources: "Sources:",
      chip: (n, title) => `Source ${n}: “${title}”`,
      from: (date, title) => (date ? `From “${title}”, published ${date}` : `From “${title}”`),
      date: (y, m, d) =>
        new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-GB", { dateStyle: "long", timeZone: "UTC" }),
      declined: "No direct answer in the documents",
      detailHead: "The documents mention this, but do not publish this detail",
      scopeHead: "I can only answer questions about the published documents",
      detailSources: "What the documents do say:",
      asOf: (date) => `As of ${date}`,
      hotline: (h) => `Call the ${h} hotline`,
      errNetwork: "The connection failed and no answer arrived. Check your network and try again.",
      errBusy: (s) =>
        s
          ? `Too many questions at once. Please retry in ${s} seconds.`
          : "Too many questions at once. Please wait a moment and retry.",
      errServer: "The service had a problem and no answer arrived. Please try again shortly.",
      errOther: "The question could not be sent.",
      retry: "Retry",
      counter: (n, max) => `${n}/${max} characters`,
      tooLong: (n, max) => `${n}/${max} characters: ${n - max} too many, please shorten it`,
      langButton: "中文",
      langLabel: "切换到中文",
      newChat: "New",
      newChatLabel: "New conversation (clears this one)",
      understood: (q) => `Understood as: ${q}`,
      closeSource: "Close the source",
      loadingSource: "Loading the document…",
      sourceFailed: "The document could not be loaded. The cited passage:",
      feedbackAsk: "Was this answer helpful?",
      helpful: "Helpful",
      notHelpful: "Not helpful",
      comment: "Anything to add? (optional)",
      commentSend: "Send comment",
      thanks: "Thank you for your feedback!",
      thanksComment: "Comment received, thank you!",
      feedbackFailed: "The feedback could not be sent. Please try again later.",
    },
  };

  let lang = (opts.lang || "").toLowerCase().startsWith("en") ? "en" : "zh";
  const t = () => TEXT[lang];

  // ---- small DOM helpers: text only, nothing is ever parsed as HTML ----
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else if (value !== false && value != null) node.setAttribute(key, String(value));
    }
    node.append(...children);
    return node;
  };
  const chars = (text) => Array.from(text); // offsets count code points, as the API does
  const formatDate = (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? t().date(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  };

  // ---- the host element and its shadow root ----
  const host = document.createElement("kuiwen-assistant");
  const root = host.attachShadow({ mode: "open" });
  const sheet = el("link", { rel: "stylesheet", href: `${API}/static/widget.css` });
  root.append(sheet);

  // Refs to the parts whose text changes with the language.
  const ui = {};
  // history: the visible conversation, sent back with each question (the server keeps none); only in memory,
  // so a reload starts afresh.
  const state = { pending: false, maxChars: 500, hotline: "12345", topics: [], asked: false, history: [] };
  const documents = new Map(); // doc_id -> Promise of the document

  const frame = el("div", {
    class: `kw ${PAGE_MODE ? "kw-page" : "kw-float"}`,
    "data-position": opts.position === "left" ? "left" : "right",
  });
  root.append(frame);

  ui.launcher = el("button", {
    type: "button",
    class: "launcher",
    "aria-expanded": "false",
    "aria-controls": "kw-panel",
    onclick: () => (panelOpen() ? closePanel() : openPanel()),
  });
  ui.launcherIcon = el("span", { class: "launcher-icon", "aria-hidden": "true", text: "?" });
  ui.launcherText = el("span", { class: "launcher-text" });
  ui.launcher.append(ui.launcherIcon, ui.launcherText);

  ui.title = el("h2", { id: "kw-title", class: "title" });
  ui.langButton = el("button", {
    type: "button",
    class: "lang",
    onclick: () => setLang(lang === "zh" ? "en" : "zh", true),
  });
  ui.closeButton = el(
    "button",
    { type: "button", class: "close", onclick: () => closePanel() },
    el("span", { "aria-hidden": "true", text: "×" }),
  );
  ui.newChat = el("button", { type: "button", class: "new-chat", onclick: () => newConversation() });
  const header = el("header", { class: "head" }, ui.title, ui.newChat, ui.langButton, PAGE_MODE ? "" : ui.closeButton);

  ui.intro = el("p", { class: "intro" });
  ui.hotlineIntro = el("p", { class: "intro" });
  ui.suggestHead = el("h3", { class: "suggest-head" });
  ui.suggestList = el("div", { class: "suggest" });
  ui.welcome = el(
    "section",
    { class: "welcome", "aria-labelledby": "kw-title" },
    ui.intro,
    ui.hotlineIntro,
    ui.suggestHead,
    ui.suggestList,
  );
  ui.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
  ui.scroll = el("div", { class: "scroll" }, ui.welcome, ui.log);

  ui.label = el("label", { for: "kw-question", class: "label" });
  ui.input = el("textarea", {
    id: "kw-question",
    rows: "2",
    "aria-describedby": "kw-hint kw-counter",
    autocomplete: "off",
    enterkeyhint: "send",
  });
  ui.hint = el("p", { id: "kw-hint", class: "hint" });
  ui.counter = el("p", { id: "kw-counter", class: "counter", hidden: true });
  ui.send = el("button", { type: "submit", class: "send" });
  ui.form = el(
    "form",
    { class: "composer", novalidate: true },
    ui.label,
    el("div", { class: "row" }, ui.input, ui.send),
    ui.hint,
    ui.counter,
  );

  ui.sourceTitle = el("h3", { id: "kw-source-title", class: "source-title", tabindex: "-1" });
  ui.sourceClose = el(
    "button",
    { type: "button", class: "source-close", onclick: () => closeSource() },
    el("span", { "aria-hidden": "true", text: "×" }),
  );
  ui.sourceBody = el("div", { class: "source-body", tabindex: "0" });
  // A non-modal dialog below the transcript, so that the answer and its source are seen together.
  ui.source = el(
    "div",
    { class: "source", role: "dialog", "aria-labelledby": "kw-source-title", hidden: true },
    el("div", { class: "source-head" }, ui.sourceTitle, ui.sourceClose),
    ui.sourceBody,
  );

  ui.panel = el(
    "section",
    { id: "kw-panel", class: "panel", "aria-labelledby": "kw-title" },
    header,
    ui.scroll,
    ui.source,
    ui.form,
  );
  if (PAGE_MODE) {
    ui.panel.setAttribute("role", "region");
    frame.append(ui.panel);
  } else {
    ui.panel.setAttribute("role", "dialog");
    ui.panel.hidden = true;
    frame.append(ui.launcher, ui.panel);
  }

  // ---- language ----
  function setLang(next, chosen = false) {
    lang = next;
    const s = t();
    frame.setAttribute("lang", s.htmlLang);
    if (PAGE_MODE) {
      document.documentElement.lang = s.htmlLang;
      document.title = s.title;
    }
    if (PAGE_MODE && chosen) {
      // A reload or a shared link keeps the language the resident chose.
      const url = new URL(location.href);
      url.searchParams.set("lang", lang);
      history.replaceState(history.state, "", url);
    }
    ui.title.textContent = opts.title || s.title;
    ui.launcher.setAttribute("aria-label", s.open);
    ui.launcherText.textContent = s.launcher;
    ui.langButton.textContent = s.langButton;
    ui.langButton.setAttribute("aria-label", s.langLabel);
    ui.langButton.setAttribute("lang", lang === "zh" ? "en" : "zh-CN");
    ui.closeButton.setAttribute("aria-label", s.close);
    ui.newChat.textContent = s.newChat;
    ui.newChat.setAttribute("aria-label", s.newChatLabel);
    ui.intro.textContent = s.intro;
    ui.hotlineIntro.textContent = s.hotlineIntro(state.hotline);
    ui.suggestHead.textContent = s.suggestions;
    ui.log.setAttribute("aria-label", s.log);
    ui.label.textContent = s.label;
    ui.input.placeholder = s.placeholder;
    ui.hint.textContent = s.hint;
    ui.sourceClose.setAttribute("aria-label", s.closeSource);
    renderSuggestions();
    updateComposer();
  }

  function renderSuggestions() {
    ui.suggestList.replaceChildren();
    for (const topic of state.topics) {
      const list = el("ul", { class: "suggest-list" });
      for (const q of topic.questions) {
        const text = q[lang];
        list.append(
          el("li", {}, el("button", { type: "button", class: "suggestion", text, onclick: () => submit(text) })),
        );
      }
      ui.suggestList.append(
        el(
          "div",
          { class: "topic", "data-topic": topic.id },
          el("h4", { class: "topic-label", text: topic.label[lang] }),
          list,
        ),
      );
    }
  }

  // ---- colour from data-color, with readable text on it ----
  function applyColor(color) {
    if (!color || !CSS.supports("color", color)) return;
    // CSSOM custom properties: allowed under a CSP without 'unsafe-inline' styles.
    host.style.setProperty("--kw-accent", color);
    // A canvas normalises any CSS colour to #rrggbb (or rgba()), untouched by the host page's styles.
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.fillStyle = color;
    const value = ctx.fillStyle;
    const rgb = value.startsWith("#")
      ? [1, 3, 5].map((i) => Number.parseInt(value.slice(i, i + 2), 16))
      : value
          .match(/[\d.]+/g)
          .slice(0, 3)
          .map(Number);
    const channel = (c) => {
      const v = c / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
    const l = luminance(rgb);
    const dark = luminance([17, 17, 17]);
    // WCAG contrast ratios of white and of #111 text on the accent: take the better one.
    host.style.setProperty("--kw-on-accent", 1.05 / (l + 0.05) >= (l + 0.05) / (dark + 0.05) ? "#ffffff" : "#111111");
  }

  // ---- panel (floating mode) ----
  const panelOpen = () => !ui.panel.hidden;
  function openPanel() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    frame.classList.add("open");
    fitViewport();
    scrollDown();
    ui.input.focus();
  }
  function closePanel() {
    if (PAGE_MODE) return;
    closeSource(false);
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    frame.classList.remove("open");
    ui.launcher.focus();
  }

  // A transcript scrolled to its end stays there when the keyboard shrinks the panel. Whether it was at its
  // end is read as it scrolls: by the time a resize is reported, the layout may have shrunk already.
  let atEnd = true;
  ui.scroll.addEventListener("scroll", () => {
    atEnd = ui.scroll.scrollHeight - ui.scroll.scrollTop - ui.scroll.clientHeight < 4;
  });

  // Keep the panel inside the visual viewport, so the input stays above an on-screen keyboard.
  function fitViewport() {
    const vv = window.visualViewport;
    if (!vv) return;
    host.style.setProperty("--kw-vh", `${vv.height}px`);
    host.style.setProperty("--kw-vtop", `${vv.offsetTop}px`);
    if (atEnd) requestAnimationFrame(scrollDown);
  }
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitViewport);
    window.visualViewport.addEventListener("scroll", fitViewport);
  }

  frame.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (!ui.source.hidden) {
      event.preventDefault();
      closeSource();
    } else if (!PAGE_MODE && panelOpen()) {
      event.preventDefault();
      closePanel();
    }
  });

  // ---- composer ----
  function length() {
    return chars(ui.input.value.trim()).length;
  }
  function updateComposer() {
    const s = t();
    const n = length();
    const over = n > state.maxChars;
    ui.counter.hidden = n < state.maxChars - COUNTER_MARGIN;
    ui.counter.textContent = over ? s.tooLong(n, state.maxChars) : s.counter(n, state.maxChars);
    ui.counter.classList.toggle("over", over);
    ui.input.setAttribute("aria-invalid", over ? "true" : "false");
    ui.send.disabled = state.pending || over;
    ui.send.classList.toggle("busy", state.pending);
    ui.send.textContent = state.pending ? s.waiting : s.send;
    ui.form.setAttribute("aria-busy", state.pending ? "true" : "false");
  }
  ui.input.addEventListener("input", updateComposer);
  ui.input.addEventListener("keydown", (event) => {
    // isComposing: Enter that confirms a pinyin IME candidate must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      ui.form.requestSubmit();
    }
  });
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(ui.input.value);
  });

  function submit(text) {
    const question = text.trim();
    if (!question || state.pending || chars(question).length > state.maxChars) return;
    if (!state.asked) {
      state.asked = true;
      ui.welcome.hidden = true;
    }
    ui.log.append(
      el(
        "div",
        { class: "msg q" },
        el("span", { class: "sr-only", text: t().you }),
        el("p", { class: "text", text: question }),
      ),
    );
    ui.input.value = "";
    ask(question);
    ui.input.focus();
  }

  // Start over: the transcript and the history go, the suggestions come back.
  function newConversation() {
    if (state.pending) return;
    closeSource(false);
    state.history = [];
    state.asked = false;
    ui.log.replaceChildren();
    ui.welcome.hidden = false;
    ui.input.value = "";
    updateComposer();
    ui.input.focus();
  }

  async function ask(question) {
    const s = t();
    const history = state.history.slice(-HISTORY_TURNS);
    state.pending = true;
    updateComposer();
    const thinking = el(
      "div",
      { class: "msg a thinking", role: "status" },
      el("span", { class: "dots", "aria-hidden": "true" }),
      el("span", { text: s.thinking }),
    );
    ui.log.append(thinking);
    scrollDown();
    let reply = null;
    let body = null;
    try {
      reply = await fetch(`${API}/api/ask`, {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question, history }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      body = await reply.json().catch(() => null);
    } catch {
      reply = null;
    } finally {
      thinking.remove();
      state.pending = false;
      updateComposer();
    }
    let shown;
    if (reply === null) shown = showError(question, s.errNetwork, true);
    else if (reply.status === 429) shown = showError(question, s.errBusy(retryAfter(reply)), true);
    else if (reply.status >= 500) shown = showError(question, s.errServer, true);
    else if (!reply.ok || !body || typeof body.answer !== "string")
      shown = showError(question, body?.message || s.errOther, false);
    else {
      shown = renderAnswer(body);
      remember(question, body);
    }
    reveal(shown);
  }

  // A turn of the visible conversation, as the next question's history.
  function remember(question, body) {
    const docIds = Array.isArray(body.citations) ? body.citations.map((c) => c.doc_id) : [];
    state.history.push({
      question,
      answer: body.answer.slice(0, HISTORY_ANSWER_MAX),
      doc_ids: [...new Set(docIds.filter((d) => typeof d === "string"))].slice(0, 10),
    });
    state.history = state.history.slice(-HISTORY_TURNS);
  }

  function retryAfter(reply) {
    const seconds = Number.parseInt(reply.headers.get("Retry-After") || "", 10);
    return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  }

  function showError(question, message, canRetry) {
    const box = el("div", { class: "msg a error", role: "alert" }, el("p", { class: "text", text: message }));
    if (canRetry) {
      box.append(
        el("button", { type: "button", class: "retry", text: t().retry, onclick: () => retry(box, question) }),
      );
    }
    ui.log.append(box);
    return box;
  }

  function retry(box, question) {
    if (state.pending) return;
    box.remove();
    ask(question);
    ui.input.focus();
  }

  function scrollDown() {
    ui.scroll.scrollTop = ui.scroll.scrollHeight;
  }

  // Scroll the transcript so that a message is seen whole, or from its start when it is taller than the view.
  // The newest message, when it fits, goes to the very end, so that the transcript stays there when an
  // on-screen keyboard shrinks the panel.
  function reveal(node) {
    const box = node.getBoundingClientRect();
    const view = ui.scroll.getBoundingClientRect();
    if (box.height > view.height || box.top < view.top) ui.scroll.scrollTop += box.top - view.top;
    else if (!node.nextElementSibling) scrollDown();
    else if (box.bottom > view.bottom) ui.scroll.scrollTop += box.bottom - view.bottom;
  }

  // ---- answers and their sources ----
  const DECLINES = ["not_covered", "detail_not_published", "out_of_scope"];

  // Why the reply says what it says; a server that sends no `reason` declines as "not covered".
  function reasonOf(body) {
    if (body.answered) return "answered";
    return DECLINES.includes(body.reason) ? body.reason : "not_covered";
  }

  // The answer's fragments in their documents; anything malformed is left out rather than trusted.
  function answerSpans(body) {
    if (!body.answered || !Array.isArray(body.answer_spans)) return [];
    return body.answer_spans.filter(
      (f) =>
        f &&
        typeof f.doc_id === "string" &&
        Number.isInteger(f.start) &&
        Number.isInteger(f.end) &&
        0 <= f.start &&
        f.start < f.end,
    );
  }

  function renderAnswer(body) {
    const s = t();
    const reason = reasonOf(body);
    const spans = answerSpans(body);
    const citations = Array.isArray(body.citations) ? body.citations : [];
    const byNumber = new Map(citations.map((c) => [Number(c.n), c]));
    const msg = el("div", {
      class: `msg a ${body.answered ? "answered" : "declined"}`,
      "data-state": body.answered ? "answered" : "declined",
      "data-reason": reason,
    });
    msg.append(el("span", { class: "sr-only", text: s.bot }));
    const resolved = typeof body.resolved_question === "string" ? body.resolved_question : "";
    if (resolved && resolved !== body.question)
      msg.append(el("p", { class: "understood", text: s.understood(resolved) }));
    const heading = { not_covered: s.declined, detail_not_published: s.detailHead, out_of_scope: s.scopeHead };
    if (!body.answered) msg.append(el("p", { class: "declined-head", text: heading[reason] }));

    const text = el("p", { class: "text" });
    const used = new Set();
    body.answer.split(/\[(\d+)\]/).forEach((part, i) => {
      if (i % 2 === 0) {
        if (part) text.append(document.createTextNode(part));
        return;
      }
      const citation = byNumber.get(Number(part));
      if (!citation) {
        text.append(document.createTextNode(`[${part}]`));
        return;
      }
      used.add(citation.n);
      text.append(chip(citation, spans));
    });
    msg.append(text);

    const asOf = body.answered ? formatDate(body.as_of) : null;
    if (asOf) msg.append(el("p", { class: "as-of" }, el("time", { datetime: body.as_of, text: s.asOf(asOf) })));

    const others = citations.filter((c) => !used.has(c.n));
    if (others.length) {
      const label = reason === "detail_not_published" ? s.detailSources : s.sources;
      msg.append(
        el(
          "p",
          { class: "sources" },
          el("span", { class: "sources-label", text: label }),
          ...others.map((c) => chip(c, spans)),
        ),
      );
    }
    if (!body.answered) {
      msg.append(
        el("p", { class: "hotline" }, el("a", { href: `tel:${state.hotline}`, text: s.hotline(state.hotline) })),
      );
    }
    if (typeof body.id === "string" && body.id) msg.append(feedback(body.id));
    ui.log.append(msg);
    return msg;
  }

  function chip(citation, spans) {
    const button = el("button", {
      type: "button",
      class: "chip",
      "aria-haspopup": "dialog",
      "aria-expanded": "false",
      "aria-label": t().chip(citation.n, citation.title),
      text: String(citation.n),
    });
    button.addEventListener("click", () => openSource(citation, button, spans));
    return button;
  }

  function loadDocument(docId) {
    if (!documents.has(docId)) {
      const request = fetch(`${API}/api/documents/${encodeURIComponent(docId)}`, {
        credentials: "omit",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))));
      request.catch(() => documents.delete(docId)); // a failed load is tried again next time
      documents.set(docId, request);
    }
    return documents.get(docId);
  }

  let sourceOpener = null;
  async function openSource(citation, opener, spans = []) {
    const s = t();
    if (sourceOpener) sourceOpener.setAttribute("aria-expanded", "false");
    sourceOpener = opener;
    opener.setAttribute("aria-expanded", "true");
    ui.sourceTitle.textContent = s.from(formatDate(citation.published), citation.title);
    ui.sourceBody.replaceChildren(el("p", { class: "loading", text: s.loadingSource }));
    ui.source.hidden = false;
    ui.panel.classList.add("source-open");
    reveal(opener.closest(".msg") || opener);
    ui.sourceClose.focus();
    let doc = null;
    try {
      doc = await loadDocument(citation.doc_id);
    } catch {
      doc = null;
    }
    if (sourceOpener !== opener || ui.source.hidden) return; // closed or replaced meanwhile
    const own = spans.filter((f) => f.doc_id === citation.doc_id);
    const passage = el("p", { class: "passage" });
    const text = doc && typeof doc.text === "string" ? chars(doc.text) : null;
    let shown;
    if (text && text.slice(citation.start, citation.end).join("") === citation.text) {
      const around = context(text, citation.start, citation.end);
      shown = highlight(text, 0, around.from, around.to, citation, own);
      passage.append(around.before, ...shown.nodes, around.after);
      ui.sourceBody.replaceChildren(passage);
    } else {
      // The passage alone, its first character at the citation's start offset.
      shown = highlight(chars(citation.text), citation.start, citation.start, citation.end, citation, own);
      passage.append(...shown.nodes);
      ui.sourceBody.replaceChildren(el("p", { class: "loading", text: s.sourceFailed }), passage);
    }
    // Scroll the highlight into the middle of the source view (scrollIntoView could scroll the host page too).
    const markBox = shown.target.getBoundingClientRect();
    const bodyBox = ui.sourceBody.getBoundingClientRect();
    ui.sourceBody.scrollTop += markBox.top - bodyBox.top - Math.max(0, (bodyBox.height - markBox.height) / 2);
  }

  // The part of the document shown around a cited passage: its paragraph, clipped to SOURCE_CONTEXT
  // characters on each side, with "…" where the clip cuts the paragraph.
  function context(text, start, end) {
    let from = Math.max(0, start - SOURCE_CONTEXT);
    const lastBreak = start > 0 ? text.lastIndexOf("\n", start - 1) : -1;
    if (lastBreak >= from) from = lastBreak + 1;
    let to = Math.min(text.length, end + SOURCE_CONTEXT);
    const nextBreak = text.indexOf("\n", end);
    if (nextBreak !== -1 && nextBreak <= to) to = nextBreak;
    return {
      from,
      to,
      before: from > 0 && from !== lastBreak + 1 ? "…" : "",
      after: to < text.length && to !== nextBreak ? "…" : "",
    };
  }

  // Nodes of the document offsets [from, to) (``text[0]`` is offset ``base``): each of the answer's
  // fragments shown whole is a <mark>. The cited passage is a lighter highlight around them when it holds
  // one; a passage that holds none (another citation) is itself the <mark>, as the place it was cited for.
  // Returns the nodes and the one to scroll to.
  function highlight(text, base, from, to, citation, spans) {
    const marks = [];
    for (const f of spans.filter((f) => from <= f.start && f.end <= to).sort((a, b) => a.start - b.start)) {
      const last = marks.at(-1);
      if (last && f.start <= last.end) last.end = Math.max(last.end, f.end);
      else marks.push({ start: f.start, end: f.end });
    }
    const answering = marks.some((m) => m.start < citation.end && citation.start < m.end);
    const slice = (a, b) => text.slice(a - base, b - base).join("");
    const nodes = [];
    let target = null;
    const plain = (a, b) => {
      const cs = Math.max(a, citation.start);
      const ce = Math.min(b, citation.end);
      if (cs >= ce) {
        if (a < b) nodes.push(document.createTextNode(slice(a, b)));
        return;
      }
      if (a < cs) nodes.push(document.createTextNode(slice(a, cs)));
      const cited = el(answering ? "span" : "mark", { class: "cited", text: slice(cs, ce) });
      if (!answering) target = cited;
      nodes.push(cited);
      if (ce < b) nodes.push(document.createTextNode(slice(ce, b)));
    };
    let at = from;
    for (const m of marks) {
      plain(at, m.start);
      const mark = el("mark", { class: "answer", text: slice(m.start, m.end) });
      if (answering && !target && m.start < citation.end && citation.start < m.end) target = mark;
      nodes.push(mark);
      at = m.end;
    }
    plain(at, to);
    return { nodes, target: target || nodes[0] || ui.sourceBody };
  }

  function closeSource(restoreFocus = true) {
    if (ui.source.hidden) return;
    ui.source.hidden = true;
    ui.panel.classList.remove("source-open");
    ui.sourceBody.replaceChildren();
    if (sourceOpener) sourceOpener.setAttribute("aria-expanded", "false");
    if (restoreFocus && sourceOpener?.isConnected) sourceOpener.focus();
    sourceOpener = null;
  }

  // ---- helpful / not helpful, sent to POST /api/feedback ----
  function feedback(id) {
    const s = t();
    let helpful = null;
    const status = el("p", { class: "feedback-status", role: "status" });
    const send = async (payload) => {
      try {
        const reply = await fetch(`${API}/api/feedback`, {
          method: "POST",
          mode: "cors",
          credentials: "omit",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        return reply.ok;
      } catch {
        return false;
      }
    };
    const yes = el("button", { type: "button", class: "vote", "aria-pressed": "false", text: s.helpful });
    const no = el("button", { type: "button", class: "vote", "aria-pressed": "false", text: s.notHelpful });
    const commentId = `kw-comment-${id}`;
    const comment = el("textarea", {
      id: commentId,
      class: "comment-input",
      rows: "2",
      maxlength: String(COMMENT_MAX),
    });
    const commentSend = el("button", { type: "button", class: "comment-send", text: s.commentSend });
    const commentBox = el(
      "div",
      { class: "comment", hidden: true },
      el("label", { for: commentId, text: s.comment }),
      comment,
      commentSend,
    );
    const vote = async (value) => {
      helpful = value;
      yes.setAttribute("aria-pressed", String(value));
      no.setAttribute("aria-pressed", String(!value));
      status.textContent = (await send({ id, helpful })) ? s.thanks : s.feedbackFailed;
      commentBox.hidden = false;
    };
    yes.addEventListener("click", () => vote(true));
    no.addEventListener("click", () => vote(false));
    commentSend.addEventListener("click", async () => {
      const text = comment.value.trim();
      if (!text || helpful === null) return;
      // A second vote on the same id replaces the first, so the comment travels with the vote.
      const ok = await send({ id, helpful, comment: chars(text).slice(0, COMMENT_MAX).join("") });
      status.textContent = ok ? s.thanksComment : s.feedbackFailed;
      if (ok) commentBox.hidden = true;
    });
    return el(
      "div",
      { class: "feedback", role: "group", "aria-label": s.feedbackAsk },
      el("span", { class: "feedback-ask", text: s.feedbackAsk }),
      yes,
      no,
      status,
      commentBox,
    );
  }

  // ---- start ----
  async function loadSuggestions() {
    try {
      const reply = await fetch(`${API}/api/suggestions`, {
        credentials: "omit",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!reply.ok) return;
      const body = await reply.json();
      state.topics = Array.isArray(body.topics) ? body.topics : [];
      if (typeof body.hotline === "string") state.hotline = body.hotline;
      if (Number.isInteger(body.question_max_chars)) state.maxChars = body.question_max_chars;
      setLang(lang);
    } catch {
      // The chat still works without suggestions; the input is there.
    }
  }

  function mount() {
    // The snippet pasted twice into a page gives one widget, not two.
    if (!PAGE_MODE && document.querySelector("kuiwen-assistant")) return;
    applyColor(opts.color);
    setLang(lang);
    const target = PAGE_MODE ? document.querySelector(opts.target || "main") : null;
    if (target) target.replaceChildren(host);
    else document.body.append(host);
    loadSuggestions();
  }
  // Show the widget only once its stylesheet is in, so the host page never sees it unstyled.
  frame.hidden = true;
  sheet.addEventListener("load", () => {
    frame.hidden = false;
  });
  sheet.addEventListener("error", () => console.error(`Kuiwen assistant: cannot load ${sheet.href}`));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
