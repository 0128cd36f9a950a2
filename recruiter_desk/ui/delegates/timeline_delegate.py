"""Timeline entries drawn as cards: kind icon, direction, person, subject, the first line
of the body and the opportunity; the group heading (Today, Yesterday, a date) stands in a
gutter to the left of the first card of its group.

Every card has the same height, so the list can use uniform item sizes: with varying
heights QListView asked for the size of every entry each time a page arrived, and paging
slowed down as the list grew (about 4,600 size calls per page at 5,000 entries)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from recruiter_desk.core.timeline import TimelineEntry
from recruiter_desk.ui.models.timeline_model import ENTRY_ROLE, HEADING_ROLE, WHEN_ROLE

Index = QModelIndex | QPersistentModelIndex

# A glyph and a colour per kind; glyphs every common font has, so no icon files to ship.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "email": ("✉", "#1565c0"),
    "call": ("☎", "#2e7d32"),
    "meeting": ("◉", "#6a1b9a"),
    "message": ("✎", "#00838f"),
    "article": ("¶", "#b26a00"),
    "note": ("•", "#757575"),
    "stage": ("⇢", "#ad1457"),
    "import": ("⇩", "#455a64"),
}
KIND_TEXT = {
    "email": "Email",
    "call": "Call",
    "meeting": "Meeting",
    "message": "Message",
    "article": "Article",
    "note": "Note",
    "stage": "Stage",
    "import": "Import",
}
DIRECTION_TEXT = {"outbound": "you → them", "inbound": "them → you", "internal": "internal"}

MARGIN = 8
GUTTER = 150
LINE_GAP = 3
ICON_SIZE = 28


def direction_text(entry: TimelineEntry) -> str:
    """ "you → them"; a teammate's touch names them instead: "bob → them" (docs/team.md)."""
    if entry.source != "interaction":
        return ""
    text = DIRECTION_TEXT.get(entry.direction, entry.direction)
    if entry.by and entry.direction in ("outbound", "inbound"):
        return text.replace("you", entry.recruiter)
    return text


class TimelineDelegate(QStyledItemDelegate):
    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        heading = QFont(base)
        heading.setBold(True)
        heading.setPointSizeF(base.pointSizeF() * 1.1)
        return base, bold, heading

    def _line_height(self, option: QStyleOptionViewItem) -> int:
        return QFontMetrics(option.font).height()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = self._line_height(option)
        return QSize(400, 2 * MARGIN + 3 * line + 2 * LINE_GAP + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry: TimelineEntry | None = index.data(ENTRY_ROLE)
        if entry is None:
            return
        rect = QRect(option.rect)
        palette: QPalette = option.palette
        base, bold, heading_font = self._fonts(option)
        line = self._line_height(option)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        heading = index.data(HEADING_ROLE)
        if heading:
            painter.setFont(heading_font)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            title = QRect(rect.left() + 6, rect.top() + MARGIN, GUTTER - 14, rect.height())
            painter.drawText(
                title,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                heading,
            )

        card = rect.adjusted(GUTTER, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fill = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        if selected:
            fill.setAlpha(60)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(card, 6, 6)

        glyph, colour = KIND_STYLE.get(entry.kind, ("•", "#757575"))
        circle = QRect(card.left() + MARGIN, card.top() + MARGIN, ICON_SIZE, ICON_SIZE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(circle)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(bold)
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, glyph)

        text_left = circle.right() + MARGIN + 2
        width = card.right() - MARGIN - text_left
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        top = card.top() + MARGIN

        # Line 1: who, what kind, which way — and the time on the right.
        painter.setFont(base)
        painter.setPen(muted)
        when = index.data(WHEN_ROLE) or entry.time
        time_width = QFontMetrics(base).horizontalAdvance(when + "  ")
        painter.drawText(
            QRect(card.right() - MARGIN - time_width, top, time_width, line),
            Qt.AlignmentFlag.AlignRight,
            when,
        )
        who = entry.person_name or "Recruiter Desk"
        painter.setFont(bold)
        painter.setPen(text)
        # A few pixels to spare: hinting can make the painted name wider than measured.
        name_width = min(QFontMetrics(bold).horizontalAdvance(who) + 6, width // 2)
        painter.drawText(
            QRect(text_left, top, name_width, line),
            Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(bold).elidedText(who, Qt.TextElideMode.ElideRight, name_width),
        )
        detail = KIND_TEXT.get(entry.kind, entry.kind)
        way = direction_text(entry)
        if way:
            detail += f"  ·  {way}"
        if entry.by and not (way and entry.recruiter in way):  # a teammate's note, stage move
            detail += f"  ·  {entry.by}"
        painter.setFont(base)
        painter.setPen(QColor(colour))
        painter.drawText(
            QRect(text_left + name_width + 10, top, width - name_width - time_width - 10, line),
            Qt.AlignmentFlag.AlignLeft,
            detail,
        )

        # Line 2: the subject, then the first line of the body.
        top += line + LINE_GAP
        metrics = QFontMetrics(base)
        subject = entry.subject or "(no subject)"
        painter.setPen(text)
        painter.drawText(
            QRect(text_left, top, width, line),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(subject, Qt.TextElideMode.ElideRight, width),
        )
        # Line 3: the body's first line and the opportunity, when there are any.
        extra = "  ·  ".join(
            part
            for part in (
                entry.snippet,
                f"Role: {entry.opportunity}" if entry.opportunity else "",
            )
            if part
        )
        if extra:
            top += line + LINE_GAP
            painter.setPen(muted)
            painter.drawText(
                QRect(text_left, top, width, line),
                Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(extra, Qt.TextElideMode.ElideRight, width),
            )
        painter.restore()
