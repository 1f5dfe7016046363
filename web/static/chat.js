// Minimal chat page: every text from the question, answer or corpus is inserted as text, never HTML.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const log = document.getElementById("log");
  const add = (cls, text) => {
    const div = document.createElement("div");
    div.className = cls;
    div.textContent = text;
    log.appendChild(div);
    return div;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    add("q", question);
    input.value = "";
    try {
      const reply = await fetch("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question }),
      });
      const body = await reply.json();
      if (!reply.ok) { add("a none", body.message || "出错了，请稍后再试。"); return; }
      const div = add(body.answered ? "a" : "a none", body.answer);
      for (const c of body.citations) {
        const quote = document.createElement("blockquote");
        quote.textContent = `[${c.n}] 《${c.title}》${c.published || ""}：${c.text}`;
        div.appendChild(quote);
      }
    } catch (err) {
      add("a none", "网络连接失败，请稍后再试。");
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
});
