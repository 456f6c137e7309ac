"""At start-up: forms typed into but never saved (a crash, a power cut, a closed laptop)
are offered back at once, not only when the same form happens to be opened again."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from branchdesk.store import Book
from branchdesk.ui.drafts import DraftStore


@dataclass(frozen=True)
class PendingDraft:
    key: str  # meeting-new, meeting-12, member-new, member-3
    text: str  # what the secretary reads


def pending_drafts(book: Book) -> list[PendingDraft]:
    store = DraftStore(book)
    out = []
    for key in store.kept():
        kind, _, ident = key.partition("-")
        draft = store.load(key) or {}
        if kind == "meeting":
            what = str(draft.get("title") or "").strip() or "未填会议名称"
            text = f"会议记录“{what}”" + ("（新建）" if ident == "new" else "（修改）")
        elif kind == "member":
            who = str(draft.get("name") or "").strip() or "未填姓名"
            text = f"党员信息“{who}”" + ("（新增）" if ident == "new" else "（修改）")
        else:
            continue
        if ident != "new" and not ident.isdigit():
            continue
        out.append(PendingDraft(key, text))
    return out


def offer_drafts(parent: QWidget, book: Book) -> list[QWidget]:
    """Ask once for all drafts; "现在继续" opens each form with its draft filled in (and
    returns the forms, for tests), "以后再说" keeps them for the next start."""
    drafts = pending_drafts(book)
    if not drafts:
        return []
    lines = "\n".join(f"• {d.text}" for d in drafts)
    answer = QMessageBox.question(
        parent,
        "有未保存的内容",
        f"上次有 {len(drafts)} 份填写了但没有保存的内容：\n{lines}\n\n"
        "现在打开继续填写吗？选“否”会保留它们，下次启动时再询问。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return []
    return [form for d in drafts if (form := _open(parent, book, d.key)) is not None]


def _open(parent: QWidget, book: Book, key: str) -> QWidget | None:
    kind, _, ident = key.partition("-")
    record_id = int(ident) if ident.isdigit() else None
    if kind == "meeting":
        from branchdesk.ui.meetings.form import MeetingForm

        try:
            record = book.meetings.get(record_id) if record_id is not None else None
        except KeyError:
            DraftStore(book).discard(key)  # the meeting was deleted since
            return None
        form: QDialog = MeetingForm(book, record, parent=parent, restore_draft=True)
    else:
        from branchdesk.ui.roster.member_dialog import MemberDialog

        try:
            member = book.roster.member(record_id) if record_id is not None else None
        except KeyError:
            DraftStore(book).discard(key)
            return None
        form = MemberDialog(book, member, parent=parent, restore_draft=True)
    form.open()  # window-modal, not blocking: several can be open one after the other
    return form
