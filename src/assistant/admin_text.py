"""The staff console's words in Chinese (the default) and English."""

from __future__ import annotations

LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}

TEXT: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "console": ("奎文区政务问答 · 管理后台", "Kuiwen Q&A · Staff console"),
    "skip": ("跳到主要内容", "Skip to main content"),
    "nav": ("后台导航", "Console navigation"),
    "documents": ("文档", "Documents"),
    "report": ("内容缺口报告", "Content-gap report"),
    "ask": ("以居民身份提问", "Ask as a resident"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "token": ("管理令牌", "Admin token"),
    "token_help": ("即服务器上设置的 ASSISTANT_ADMIN_TOKEN。", "The ASSISTANT_ADMIN_TOKEN set on the server."),
    "bad_token": ("令牌不正确。", "That token is not right."),
    "expired": ("请重新登录（会话已过期或表单已失效）。", "Please sign in again (the session or form expired)."),
    "switch": ("English", "中文"),
    "build": ("正在使用的索引", "Index in use"),
    "built_at": ("生成于", "built at"),
    "docs_passages": ("{d} 篇文档，{c} 个段落", "{d} documents, {c} passages"),
    "title": ("标题", "Title"),
    "date": ("日期", "Date"),
    "source": ("来源", "Source"),
    "format": ("格式", "Format"),
    "size": ("大小", "Size"),
    "passages": ("段落", "Passages"),
    "pages": ("页数", "Pages"),
    "actions": ("操作", "Actions"),
    "delete": ("删除", "Delete"),
    "confirm_delete": ("确定删除“{t}”吗？删除后将重建索引。", "Delete “{t}”? The index will be rebuilt."),
    "upload": ("上传文件", "Upload files"),
    "upload_help": (
        "可一次选择多个文件，或把文件拖到这里：PDF、Word（.docx）、网页（.html）、文本（.txt、.md）。上传后先预览，再发布。",
        "Choose several files at once, or drop them here: PDF, Word (.docx), web pages (.html), text (.txt, .md). "
        "You preview each one before it is published.",
    ),
    "choose": ("选择文件", "Choose files"),
    "send": ("上传并预览", "Upload and preview"),
    "staged": ("待发布", "Awaiting publication"),
    "preview": ("预览", "Preview"),
    "publish": ("发布", "Publish"),
    "discard": ("放弃", "Discard"),
    "failed": ("未能转换", "Could not convert"),
    "converted": ("已转换，请预览后发布", "Converted: preview, then publish"),
    "characters": ("字符", "characters"),
    "reindex": ("重建索引", "Rebuild the index"),
    "reindex_state": ("索引重建", "Index rebuild"),
    "state_idle": ("未运行", "not running"),
    "state_running": ("进行中", "running"),
    "state_done": ("已完成", "finished"),
    "state_failed": ("失败", "failed"),
    "pending": ("未进索引", "not yet indexed"),
    "no_docs": ("还没有文档。", "No documents yet."),
    "original": ("下载原文件", "Download the original"),
    "extracted": ("提取的文本", "Extracted text"),
    "page_n": ("第 {n} 页", "Page {n}"),
    "pages_n": ("第 {a}–{b} 页", "Pages {a}–{b}"),
    "cited": ("被引用的段落", "Cited passage"),
    "question": ("问题", "Question"),
    "ask_button": ("提问", "Ask"),
    "answer": ("回答", "Answer"),
    "citations": ("引用", "Citations"),
    "why": ("为什么这样回答", "Why it answered this way"),
    "reason_answered": ("文件中有直接答案，已回答。", "The documents answer it directly, so it answered."),
    "reason_not_covered": ("没有文件涉及这个话题，因此未作回答。", "No document is on this topic, so it declined."),
    "reason_detail_not_published": (
        "文件涉及这个话题，但没有公布所问的细节，因此未作回答。",
        "The documents cover the topic but not the detail asked for, so it declined.",
    ),
    "reason_out_of_scope": (
        "这是一条指令而不是问题，因此未作回答。",
        "This is an instruction rather than a question, so it declined.",
    ),
    "covered": ("话题相关度", "On the topic"),
    "confidence": ("把握", "Confidence"),
    "candidates": ("排名靠前的段落", "Top passages"),
    "not_stored": ("此处提问不会记入居民问题统计。", "Questions asked here are not stored as residents' questions."),
    "since": ("起始日期", "Since"),
    "show": ("查看", "Show"),
    "csv": ("下载 CSV", "Download CSV"),
    "totals": ("{q} 个问题，回答率 {a}，{v} 次评价，有帮助 {h}", "{q} questions, {a} answered, {v} votes, {h} helpful"),
    "rates": ("各话题回答率与有帮助率", "Answer rate and helpful rate per topic"),
    "answer_rate": ("回答率", "Answer rate"),
    "helpful_rate": ("有帮助率", "Helpful rate"),
    "unanswered": ("未回答的问题（按含义分组）", "Unanswered questions (grouped by meaning)"),
    "asked": ("提问次数", "Asked"),
    "askers": ("提问人数", "Askers"),
    "wordings": ("问法示例", "Wordings"),
    "topic": ("话题", "Topic"),
    "unhelpful": ("被标为没有帮助的回答", "Answers marked not helpful"),
    "comment": ("意见", "Comment"),
    "none": ("暂无。", "None."),
    "report_unavailable": ("报告暂不可用：{e}", "The report is unavailable: {e}"),
    "data_table": ("数据表", "Data table"),
    "period": ("时段", "Period"),
}


def text(lang: str, key: str, **values: object) -> str:
    """The console's word for ``key`` in ``lang``, with ``values`` filled in."""
    zh, en = TEXT[key]
    chosen = en if lang == "en" else zh
    return chosen.format(**values) if values else chosen
