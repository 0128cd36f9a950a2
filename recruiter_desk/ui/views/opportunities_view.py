"""The Opportunities view: roles with their pipeline counts, and the board of one role.

Every move offers the message that fits it (core.stage_messages picks the Compose template);
skipping leaves the person on the owed list. Closing someone records why; ending a role
closes everyone still in process and offers each the closing message, so nobody is left
waiting.

Signals: ``compose_requested(person_ids, purpose, opportunity_id)`` to write a message in
Compose; ``pipeline_changed()`` after any write, so counts elsewhere refresh;
``roles_shown()`` and ``pipeline_shown()`` when the list or a board has been filled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruiter_desk.core.matching import Matches, SilverMedalist
from recruiter_desk.core.opportunities import (
    CLOSE_REASON_TEXT,
    CLOSED_BY_TEXT,
    OPPORTUNITY_LABELS,
    OpportunityFields,
    OpportunityRow,
    describe_close,
    filter_roles,
)
from recruiter_desk.core.pipeline import ClosingOwed, Pipeline, PipelineCard, StageMove
from recruiter_desk.core.services import Services
from recruiter_desk.core.stage_messages import purposes_for_move
from recruiter_desk.core.team import EditConflict
from recruiter_desk.core.vocabulary import (
    ACTIVE_STAGES,
    CLOSE_REASONS,
    CLOSING_OWED_STAGES,
    STAGES,
)
from recruiter_desk.core.wording import count as count_words
from recruiter_desk.ui.dialogs.conflict_dialog import Choice, ConflictDialog
from recruiter_desk.ui.executor import Executor
from recruiter_desk.ui.style import named, status_colour
from recruiter_desk.ui.views.pipeline_dialogs import (
    STAGE_LABELS,
    STATUS_LABELS,
    AddToRoleDialog,
    ClosingReasonDialog,
    MessageOfferDialog,
    PeopleChoiceDialog,
    RoleDialog,
    fill_matches,
)

CARD_ROLE = Qt.ItemDataRole.UserRole
CARD_MIME = "application/x-recruiter-desk-candidacy"
BOARD_STAGES = ("sourced", *ACTIVE_STAGES)
CLOSED_GROUP = ("hired", "not_selected", "withdrew")
ROLE_COLUMNS = ("Role", "Company", "Work mode", "Location", "Status", "In process", "Pipeline")
ROLE_STATUS_CHOICES = (
    ("Open and on hold", "active"),
    ("Open", "open"),
    ("On hold", "on_hold"),
    ("Filled", "filled"),
    ("Closed", "closed"),
    ("All roles", "all"),
)
LEVEL_COLOURS = {"amber": "#b26a00", "red": "#c62828"}
# The badge on a card of someone owed a message (core.owed decides who is).
OWED_BADGE = {"reply": "owed a reply", "update": "owed an update", "closing": "owed closing"}
SHORT_STAGE = {
    "sourced": "sourced",
    "contacted": "contacted",
    "interested": "interested",
    "submitted": "submitted",
    "interviewing": "interviewing",
    "shortlisted": "shortlisted",
    "offer": "offer",
    "hired": "hired",
    "not_selected": "not selected",
    "withdrew": "withdrew",
}


def _days(days: int) -> str:
    return count_words(days, "day")


# -- the roles list ------------------------------------------------------------------------


class RolesModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[OpportunityRow] = []
        self._cells: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[OpportunityRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._cells = [self._cells_of(r) for r in rows]
        self.endResetModel()

    @staticmethod
    def _cells_of(row: OpportunityRow) -> tuple[str, ...]:
        active = sum(n for s, n in row.pipeline.items() if s in ACTIVE_STAGES)
        summary = " · ".join(f"{n} {SHORT_STAGE[s]}" for s, n in row.pipeline.items())
        return (
            row.title,
            row.company,
            (row.work_mode or "").replace("onsite", "on-site"),
            row.location,
            STATUS_LABELS.get(row.status, row.status),
            str(active),
            summary or "nobody yet",
        )

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ROLE_COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6:
            return self._cells[index.row()][6]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            status = self.rows[index.row()].status
            return QBrush(QColor("#757575")) if status in ("filled", "closed") else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ROLE_COLUMNS[section]
        return None


# -- the board -----------------------------------------------------------------------------


class CardDelegate(QStyledItemDelegate):
    """A card: name and "owed" badge; warmth, and days in stage in amber or red past the
    stage's limits; for closed candidacies, why they closed."""

    HEIGHT = 64

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width(), self.HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card: PipelineCard | None = index.data(CARD_ROLE)
        if card is None:
            return
        palette = option.palette
        rect: QRect = option.rect.adjusted(3, 2, -3, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(palette.highlight().color(), 2 if selected else 1))
        if not selected:
            painter.setPen(QPen(palette.mid().color()))
        painter.setBrush(palette.base())
        painter.drawRoundedRect(rect, 4, 4)
        inner = rect.adjusted(7, 3, -7, -3)
        line = inner.height() // 3
        rows = [QRect(inner.left(), inner.top() + i * line, inner.width(), line) for i in range(3)]

        name_font = QFont(option.font)
        name_font.setBold(True)
        painter.setFont(name_font)
        painter.setPen(palette.text().color())
        painter.drawText(
            rows[0],
            Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(card.name, Qt.TextElideMode.ElideRight, inner.width()),
        )

        painter.setFont(option.font)
        metrics = painter.fontMetrics()
        closed = card.stage in CLOSING_OWED_STAGES
        if closed:
            # The reason on its own line, whose choice under it (unless a badge needs it).
            painter.setPen(palette.placeholderText().color())
            why = CLOSE_REASON_TEXT.get(card.close_reason or "", "reason not recorded")
            lines = [why] if card.owed else [why, CLOSED_BY_TEXT.get(card.closed_by or "", "")]
            for row_rect, text in zip(rows[1:], lines, strict=False):
                painter.drawText(
                    row_rect,
                    Qt.AlignmentFlag.AlignVCenter,
                    metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width()),
                )
        else:
            days = f"{card.days_in_stage}d"
            late = LEVEL_COLOURS.get(card.level)
            painter.setPen(QColor(late) if late else palette.placeholderText().color())
            painter.drawText(
                rows[1], Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, days
            )
            colour = QColor(status_colour(card.warmth))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(QRect(rows[1].left(), rows[1].center().y() - 4, 8, 8))
            painter.setPen(colour)
            word = rows[1].adjusted(12, 0, -metrics.horizontalAdvance(days) - 6, 0)
            painter.drawText(
                word,
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(
                    card.warmth.replace("_", " "), Qt.TextElideMode.ElideRight, word.width()
                ),
            )
        if card.owed:
            badge_font = QFont(option.font)
            badge_font.setPointSizeF(max(6.5, badge_font.pointSizeF() - 1.5))
            badge_font.setBold(True)
            painter.setFont(badge_font)
            text = OWED_BADGE[card.owed]
            width = min(inner.width(), painter.fontMetrics().horizontalAdvance(text) + 12)
            badge = QRect(rows[2].left(), rows[2].top() + 1, width, rows[2].height() - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#c62828"))
            painter.drawRoundedRect(badge, 6, 6)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def card_tooltip(card: PipelineCard, limits: list[int] | None) -> str:
    lines = [card.name]
    if card.stage in CLOSING_OWED_STAGES:
        lines.append(
            f"{STAGE_LABELS[card.stage]} since {card.since:%Y-%m-%d}: "
            f"{describe_close(card.closed_by, card.close_reason, card.close_note)}"
        )
    else:
        lines.append(
            f"{_days(card.days_in_stage)} in {STAGE_LABELS[card.stage]} (business days, since "
            f"{card.since:%Y-%m-%d})"
        )
        if limits:
            lines.append(f"Amber from {_days(limits[0])}, red from {_days(limits[-1])}")
        lines.append(f"Relationship: {card.warmth.replace('_', ' ')}")
    if card.owed:
        lines.append(
            {
                "reply": f"You owe {card.first_name or card.name} a reply",
                "update": f"You owe {card.first_name or card.name} an update",
                "closing": f"You owe {card.first_name or card.name} a closing message",
            }[card.owed]
        )
    return "\n".join(lines)


class StageModel(QAbstractListModel):
    """One stage's cards. Tooltips are worded when asked for: a board of 2,000 cards would
    otherwise spend more time writing tooltips than painting."""

    def __init__(self, stage: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.cards: list[PipelineCard] = []
        self.limits: list[int] | None = None

    def set_cards(self, cards: list[PipelineCard], limits: list[int] | None) -> None:
        self.beginResetModel()
        self.cards = cards
        self.limits = limits
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cards)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        card = self.cards[index.row()]
        if role == CARD_ROLE:
            return card
        if role == Qt.ItemDataRole.ToolTipRole:
            return card_tooltip(card, self.limits)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{card.name}, {_days(card.days_in_stage)}"
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        return (
            base
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | (Qt.ItemFlag.ItemIsDragEnabled)
        )

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [CARD_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        # The candidacy id travels with the drag: the drop asks the core to move it, and the
        # board repaints from the database rather than trusting a widget's own move.
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(CARD_MIME, str(self.cards[rows[0]].candidacy_id).encode())
        return data


class StageList(QListView):
    """One stage's column of cards; a card dropped here asks to move (``card_dropped``)."""

    card_dropped = Signal(int, str)
    step_requested = Signal(int)  # Ctrl+→ (+1) / Ctrl+← (-1) on the current card

    def __init__(self, stage: str, delegate: CardDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName(f"stage_{stage}")
        self.stage_model = StageModel(stage, self)
        self.setModel(self.stage_model)
        self.setItemDelegate(delegate)
        self.setUniformItemSizes(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CARD_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(CARD_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        raw = bytes(event.mimeData().data(CARD_MIME).data()).decode()
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if raw.isdigit():
            self.card_dropped.emit(int(raw), self.stage)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1}
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in steps:
            self.step_requested.emit(steps[Qt.Key(event.key())])
            event.accept()
            return
        super().keyPressEvent(event)

    def count(self) -> int:
        return len(self.stage_model.cards)

    def cards(self) -> list[PipelineCard]:
        return list(self.stage_model.cards)

    def card_at(self, position: QPoint) -> PipelineCard | None:
        index = self.indexAt(position)
        return self.stage_model.cards[index.row()] if index.isValid() else None

    def current_card(self) -> PipelineCard | None:
        index = self.currentIndex()
        return self.stage_model.cards[index.row()] if index.isValid() else None

    def drag_data(self, row: int) -> QMimeData:
        """What dragging the card at ``row`` carries (a drag, as tests start one)."""
        return self.stage_model.mimeData([self.stage_model.index(row, 0)])

    def tooltip(self, row: int) -> str:
        return str(self.stage_model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole))

    def set_current_row(self, row: int) -> None:
        self.setCurrentIndex(self.stage_model.index(row, 0))


class PipelineBoard(QWidget):
    """Columns from Sourced to Offer, then one column of the closed groups."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pipelineBoard")
        self.delegate = CardDelegate(self)
        self.lists: dict[str, StageList] = {}
        self.headers: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for stage in BOARD_STAGES:
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(self._header(stage))
            column.addWidget(self._list(stage), 1)
            layout.addLayout(column, 1)
        closed = QVBoxLayout()
        closed.setSpacing(2)
        for stage in CLOSED_GROUP:
            closed.addWidget(self._header(stage))
            closed.addWidget(self._list(stage), 1)
        layout.addLayout(closed, 1)

    def _header(self, stage: str) -> QLabel:
        label = named(QLabel(STAGE_LABELS[stage]), f"header_{stage}")
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        # Long headers ("Interviewing · 12 (3 late)") must not widen the window.
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        label.setWordWrap(True)
        label.setFixedHeight(label.fontMetrics().height() * 2 + 2)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.headers[stage] = label
        return label

    def _list(self, stage: str) -> StageList:
        stage_list = StageList(stage, self.delegate, self)
        stage_list.setMinimumWidth(80)
        stage_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lists[stage] = stage_list
        return stage_list

    def show_pipeline(
        self, pipeline: Pipeline | None, limits: dict[str, list[int]], reason: str | None
    ) -> None:
        grouped = pipeline.by_stage() if pipeline else {s: [] for s in STAGES}
        for stage, stage_list in self.lists.items():
            cards = grouped[stage]
            if reason and stage in CLOSING_OWED_STAGES:
                cards = [c for c in cards if reason in (c.close_reason, c.closed_by)]
            elif reason:
                cards = [] if stage in CLOSED_GROUP else cards
            stage_list.stage_model.set_cards(cards, limits.get(stage))
            late = sum(1 for c in cards if c.level == "red")
            self.headers[stage].setText(
                f"<b>{STAGE_LABELS[stage]}</b> · {len(cards)}"
                + (
                    f"<br><span style='color:{LEVEL_COLOURS['red']}'>{late}&nbsp;late</span>"
                    if late
                    else ""
                )
            )
            self.headers[stage].setToolTip(
                f"{len(cards)} at {STAGE_LABELS[stage]}"
                + (f"; {late} past the stage's limit" if late else "")
            )

    def find_card(self, candidacy_id: int) -> PipelineCard | None:
        for stage_list in self.lists.values():
            for card in stage_list.cards():
                if card.candidacy_id == candidacy_id:
                    return card
        return None

    def current_card(self) -> PipelineCard | None:
        for stage_list in self.lists.values():
            if stage_list.hasFocus() and stage_list.current_card() is not None:
                return stage_list.current_card()
        for stage_list in self.lists.values():
            if stage_list.selectionModel().hasSelection():
                return stage_list.current_card()
        return None

    def select_card(self, candidacy_id: int) -> None:
        for stage_list in self.lists.values():
            for row, card in enumerate(stage_list.cards()):
                if card.candidacy_id == candidacy_id:
                    stage_list.set_current_row(row)
                    stage_list.setFocus()
                    return


# -- the view ------------------------------------------------------------------------------


class OpportunitiesView(QWidget):
    pipeline_changed = Signal()  # a write happened: counts elsewhere may change
    # Write to these people with this template purpose about this role (Compose opens).
    compose_requested = Signal(list, str, int)
    roles_shown = Signal()  # the roles list was filled (after a load or a filter change)
    pipeline_shown = Signal()  # a role's board was painted from fresh data

    def __init__(
        self, services: Services, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("opportunitiesView")
        self._services = services
        self._executor = executor
        self.roles: list[OpportunityRow] = []
        self.pipeline: Pipeline | None = None
        self.dialog: QWidget | None = None  # the dialog the flow is waiting on, if any
        self._wanted_role: int | None = None
        self._wanted_card: int | None = None
        self._reload_board = False
        self._loading_role: int | None = None

        self.search_box = named(QLineEdit(), "roleSearch")
        self.search_box.setPlaceholderText("Search roles, companies, places…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._show_roles)
        self.status_filter = named(QComboBox(), "roleStatusFilter")
        for label, value in ROLE_STATUS_CHOICES:
            self.status_filter.addItem(label, value)
        self.status_filter.currentIndexChanged.connect(self._show_roles)
        self.new_button = self._button("New role…", "newRoleButton", self.new_role)
        self.edit_button = self._button("Edit…", "editRoleButton", self.edit_role)
        self.hold_button = self._button("Put on hold", "holdRoleButton", self.toggle_hold)
        self.fill_button = self._button(
            "Filled…", "fillRoleButton", lambda: self.end_role("filled")
        )
        self.close_button = self._button(
            "Close…", "closeRoleButton", lambda: self.end_role("closed")
        )
        self.matches_button = self._button("Find matches…", "findMatchesButton", self.find_matches)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 2)
        top.addWidget(self.status_filter)
        top.addStretch(1)
        for button in (
            self.new_button,
            self.edit_button,
            self.hold_button,
            self.fill_button,
            self.close_button,
            self.matches_button,
        ):
            top.addWidget(button)

        self.model = RolesModel(self)
        self.table = named(QTableView(), "rolesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((230, 170, 80, 110, 70, 75)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._role_chosen)
        self.table.doubleClicked.connect(self.edit_role)

        self.heading = named(QLabel(), "roleHeading")
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() + 2)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.hint = named(QLabel(), "boardHint")
        self.hint.setStyleSheet("color: palette(placeholder-text)")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.reason_filter = named(QComboBox(), "closeReasonFilter")
        self.reason_filter.addItem("Closed: any reason", None)
        self.reason_filter.addItem("Closed: their choice", "theirs")
        self.reason_filter.addItem("Closed: our choice", "ours")
        for reason in CLOSE_REASONS:
            self.reason_filter.addItem(f"Closed: {CLOSE_REASON_TEXT[reason]}", reason)
        self.reason_filter.currentIndexChanged.connect(self._show_board)
        board_top = QHBoxLayout()
        board_top.addWidget(self.heading)
        board_top.addWidget(self.hint, 1)
        board_top.addWidget(self.reason_filter)

        self.board = PipelineBoard(self)
        for stage_list in self.board.lists.values():
            stage_list.card_dropped.connect(self._card_dropped)
            stage_list.step_requested.connect(self._step)
            stage_list.customContextMenuRequested.connect(self._card_menu)
        self.empty_board = named(
            QLabel("Choose a role above to see its pipeline, or create one with New role…"),
            "emptyBoard",
        )
        self.empty_board.setAlignment(Qt.AlignmentFlag.AlignCenter)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        lower_layout.addLayout(board_top)
        lower_layout.addWidget(self.board, 1)
        lower_layout.addWidget(self.empty_board, 1)
        splitter = named(QSplitter(Qt.Orientation.Vertical), "opportunitiesSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 560])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._update_buttons()
        self._show_heading()
        self._show_board()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = named(QPushButton(text), name)
        button.clicked.connect(slot)
        return button

    # -- roles ---------------------------------------------------------------------------

    def load(self, select_role: int | None = None) -> None:
        """Reload the roles and the shown role's board (after any change)."""
        if select_role is not None:
            self._wanted_role = select_role
        elif self.current_role() is not None:
            self._wanted_role = self.current_role().id  # type: ignore[union-attr]
        self._reload_board = True
        self._executor.submit(self._services.opportunities, self._roles_loaded)

    def _roles_loaded(self, roles: list[OpportunityRow]) -> None:
        self.roles = roles
        self._show_roles()

    def _show_roles(self) -> None:
        wanted = self._wanted_role
        if wanted is None and self.current_role() is not None:
            wanted = self.current_role().id  # type: ignore[union-attr]
        shown = filter_roles(self.roles, self.status_filter.currentData(), self.search_box.text())
        if wanted is not None and wanted not in {r.id for r in shown}:
            chosen = next((r for r in self.roles if r.id == wanted), None)
            if chosen is not None and self._wanted_role == wanted:
                # A role just created or edited stays in sight even if the filter hides it.
                shown.append(chosen)
        self.model.set_rows(shown)
        self._wanted_role = None
        row = next((i for i, r in enumerate(shown) if r.id == wanted), 0 if shown else -1)
        if row >= 0:
            self.table.selectRow(row)  # its currentRowChanged shows the board
        else:
            self.pipeline = None
            self._show_heading()
            self._show_board()
        self._update_buttons()
        self.roles_shown.emit()

    def current_role(self) -> OpportunityRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def select_role(self, opportunity_id: int) -> None:
        self._wanted_role = opportunity_id
        self._show_roles()

    def _role_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        self._show_heading()
        if not current.isValid():
            return
        role = self.model.rows[current.row()]
        shown = self.pipeline.opportunity.id if self.pipeline else None
        # Filtering the list keeps the same role: its board stays as it is.
        if not self._reload_board and role.id in (shown, self._loading_role):
            return
        self._reload_board = False
        if shown != role.id:
            self.pipeline = None
            self._show_board()
        self._loading_role = role.id
        self._executor.submit(lambda: self._services.pipeline(role.id), self._pipeline_loaded)

    def _pipeline_loaded(self, pipeline: Pipeline) -> None:
        if self._loading_role == pipeline.opportunity.id:
            self._loading_role = None
        role = self.current_role()
        if role is None or role.id != pipeline.opportunity.id:
            return
        self.pipeline = pipeline
        self._show_board()
        if self._wanted_card is not None:
            self.board.select_card(self._wanted_card)
            self._wanted_card = None
        self.pipeline_shown.emit()

    def _show_heading(self) -> None:
        role = self.current_role()
        self.board.setVisible(role is not None)
        self.empty_board.setVisible(role is None)
        self.reason_filter.setVisible(role is not None)
        if role is None:
            self.heading.setText("")
            self.hint.setText("")
            return
        where = ", ".join(
            p
            for p in (
                role.company,
                (role.work_mode or "").replace("onsite", "on-site"),
                role.location,
            )
            if p
        )
        status = "" if role.status == "open" else f" — {STATUS_LABELS[role.status].lower()}"
        self.heading.setText(f"{role.title}{status}")
        self.hint.setText(f"  {where}  ·  drag a card, right-click it or press Ctrl+←/→ to move it")

    def _show_board(self) -> None:
        self.board.show_pipeline(
            self.pipeline, self._services.settings.stage_limits, self.reason_filter.currentData()
        )

    def _update_buttons(self) -> None:
        role = self.current_role()
        has = role is not None
        ended = has and role.status in ("filled", "closed")  # type: ignore[union-attr]
        self.edit_button.setEnabled(has)
        self.hold_button.setEnabled(has and not ended)
        self.hold_button.setText(
            "Reopen" if has and role.status == "on_hold" else "Put on hold"  # type: ignore[union-attr]
        )
        self.fill_button.setEnabled(has and not ended)
        self.close_button.setEnabled(has and not ended)
        self.matches_button.setEnabled(has and not ended)

    def new_role(self) -> None:
        dialog = RoleDialog(None, self)
        dialog.accepted.connect(lambda: self._save_role(None, dialog.values()))
        self._show_dialog(dialog)

    def edit_role(self) -> None:
        role = self.current_role()
        if role is None:
            return
        self._executor.submit(
            lambda: self._services.opportunity_fields(role.id),
            lambda values: self._edit_loaded(role.id, values),
        )

    def _edit_loaded(self, opportunity_id: int, values: OpportunityFields) -> None:
        dialog = RoleDialog(values, self)
        dialog.accepted.connect(lambda: self._save_role(opportunity_id, dialog.values(), values))
        self._show_dialog(dialog)

    def _save_role(
        self,
        opportunity_id: int | None,
        values: OpportunityFields,
        loaded: OpportunityFields | None = None,
    ) -> None:
        self._executor.submit(
            lambda: self._services.save_opportunity(opportunity_id, values),
            self.load,
            lambda error: self._save_role_failed(opportunity_id, values, loaded, error),
        )

    def _save_role_failed(
        self,
        opportunity_id: int | None,
        mine: OpportunityFields,
        loaded: OpportunityFields | None,
        error: BaseException,
    ) -> None:
        """A teammate saved the role first (docs/team.md): theirs beside yours; saving
        yours keeps what only they changed."""
        if (
            not isinstance(error, EditConflict)
            or opportunity_id is None
            or not isinstance(error.theirs, OpportunityFields)
        ):
            self._executor.report_error(error)
            return
        base = loaded or mine
        changed = {a for a in OPPORTUNITY_LABELS if getattr(mine, a) != getattr(base, a)}
        dialog = ConflictDialog(error, self, {OPPORTUNITY_LABELS[a] for a in changed})
        dialog.exec()
        merged = replace(
            error.theirs, version=error.saved_version, **{a: getattr(mine, a) for a in changed}
        )
        if dialog.choice is Choice.MINE:
            self._save_role(opportunity_id, merged, error.theirs)
        elif dialog.choice is Choice.KEEP_EDITING:
            reopened = RoleDialog(merged, self)
            reopened.accepted.connect(
                lambda: self._save_role(opportunity_id, reopened.values(), error.theirs)
            )
            self._show_dialog(reopened)
        else:
            self.load()

    def toggle_hold(self) -> None:
        role = self.current_role()
        if role is None:
            return
        status = "open" if role.status == "on_hold" else "on_hold"
        self._executor.submit(
            lambda: self._services.set_opportunity_status(role.id, status),
            lambda _r: self.load(role.id),
        )

    def end_role(self, status: str) -> None:
        role = self.current_role()
        if role is None:
            return
        active = [
            c for c in (self.pipeline.cards if self.pipeline else []) if c.stage in ACTIVE_STAGES
        ]
        verb = "filled" if status == "filled" else "closed"
        names = "".join(f"\n  • {c.name} ({STAGE_LABELS[c.stage].lower()})" for c in active[:15])
        more = f"\n  … and {len(active) - 15} more" if len(active) > 15 else ""
        intro = f"Mark {role.title} as {verb}?" + (
            f"\n\n{len(active)} still in process will be closed as not selected (the role "
            f"{verb}) and each is offered the closing message:{names}{more}"
            if active
            else "\n\nNobody is still in process."
        )
        dialog = PeopleChoiceDialog(
            "endRoleDialog", f"{role.title}: {verb}", intro, f"Mark as {verb}", self
        )
        dialog.list.hide()
        dialog.chosen.connect(lambda _ids: None)
        dialog.action_button.clicked.disconnect()
        dialog.action_button.clicked.connect(dialog.accept)
        dialog.action_button.clicked.connect(lambda: self._end_role_confirmed(role, status))
        self._show_dialog(dialog)

    def _end_role_confirmed(self, role: OpportunityRow, status: str) -> None:
        self._executor.submit(
            lambda: self._services.end_role(role.id, status),
            lambda owed: self._role_ended(role, status, owed),
        )

    def _role_ended(self, role: OpportunityRow, status: str, owed: list[ClosingOwed]) -> None:
        self.load(role.id)
        self.pipeline_changed.emit()
        if not owed:
            return
        dialog = PeopleChoiceDialog(
            "closingMessagesDialog",
            f"{role.title}: closing messages",
            f"{role.title} is {status}. Nobody should hear it from silence: write to the "
            "people below in Compose (each stays on the owed list until a message to them "
            "is recorded).",
            "Write to the ticked in Compose…",
            self,
        )
        for person in owed:
            dialog.add_person(
                person.person_id,
                f"{person.name} — was {STAGE_LABELS[person.previous_stage].lower()}"
                + ("" if person.email else " (no email address)"),
                checked=True,
            )
        dialog.chosen.connect(lambda ids: self._write_closing(ids, role.id, dialog))
        self._show_dialog(dialog)

    def _write_closing(self, person_ids: list[int], opportunity_id: int, dialog: QWidget) -> None:
        dialog.close()
        self.compose_requested.emit(person_ids, "role_closed", opportunity_id)

    # -- moving people -------------------------------------------------------------------

    def _card_dropped(self, candidacy_id: int, stage: str) -> None:
        card = self.board.find_card(candidacy_id)
        if card is not None:
            self.request_move(card, stage)

    def _step(self, step: int) -> None:
        card = self.board.current_card()
        if card is None:
            return
        order = [*list(BOARD_STAGES), "hired"]
        if card.stage not in order:
            return
        position = order.index(card.stage) + step
        if 0 <= position < len(order):
            self.request_move(card, order[position])

    def request_move(self, card: PipelineCard, stage: str) -> None:
        """Move a card; closing asks why first; then the fitting message is offered."""
        if stage == card.stage or self.pipeline is None:
            return
        if stage in CLOSING_OWED_STAGES:
            dialog = ClosingReasonDialog(card.name, stage, self)
            dialog.accepted.connect(lambda: self._move(card, stage, *dialog.choice()))
            self._show_dialog(dialog)
            return
        self._move(card, stage, None, None, "")

    def _move(
        self, card: PipelineCard, stage: str, closed_by: str | None, reason: str | None, note: str
    ) -> None:
        opportunity_id = self.pipeline.opportunity.id  # type: ignore[union-attr]
        self._executor.submit(
            lambda: self._services.move_candidacy(
                card.person_id, opportunity_id, stage, reason, closed_by, note
            ),
            lambda move: self._moved(card, move),
        )

    def _moved(self, card: PipelineCard, move: StageMove) -> None:
        self._wanted_card = card.candidacy_id
        self.load(move.opportunity_id)
        self.pipeline_changed.emit()
        purposes = purposes_for_move(move.previous_stage, move.stage)
        self.offer_message(card, purposes, self._headline(card, move))

    def _headline(self, card: PipelineCard, move: StageMove) -> str:
        who = card.first_name or card.name
        text = f"{card.name} is now at {STAGE_LABELS[move.stage]} for {move.opportunity_title}."
        if move.follow_up_due:
            text += f" A stay-in-touch follow-up is set for {move.follow_up_due}."
        return text + f" Let {who} know:"

    def offer_message(self, card: PipelineCard, purposes: list[str], headline: str) -> None:
        if self.pipeline is None or not purposes:
            return
        if card.do_not_contact:
            self.hint.setText(f"  {card.name} is marked do not contact: no message offered.")
            return
        role_id = self.pipeline.opportunity.id
        dialog = MessageOfferDialog(
            person_id=card.person_id,
            name=card.name,
            purposes=purposes,
            headline=headline,
            parent=self,
        )
        dialog.write_requested.connect(
            lambda person_id, purpose: self.compose_requested.emit([person_id], purpose, role_id)
        )
        self._show_dialog(dialog)

    def _card_menu(self, position: QPoint) -> None:
        stage_list = self.sender()
        if not isinstance(stage_list, StageList):
            return
        card = stage_list.card_at(position)
        if card is None:
            return
        stage_list.setCurrentIndex(stage_list.indexAt(position))
        menu = self.card_menu(card)
        menu.exec(stage_list.viewport().mapToGlobal(position))

    def card_menu(self, card: PipelineCard) -> QMenu:
        menu = QMenu(self)
        move = menu.addMenu("Move to")
        for stage in STAGES:
            action = move.addAction(STAGE_LABELS[stage])
            action.setEnabled(stage != card.stage)
            action.triggered.connect(lambda _c=False, s=stage: self.request_move(card, s))
        menu.addSeparator()
        if card.stage == "interviewing":
            menu.addAction(
                "Ask how the interview went…",
                lambda: self.offer_message(
                    card, ["check_in"], f"Ask {card.first_name or card.name} how it went:"
                ),
            )
        menu.addAction(
            "Write a message…",
            lambda: self.offer_message(
                card,
                purposes_for_move(None, card.stage) or ["outreach"],
                f"{card.name}, {STAGE_LABELS[card.stage].lower()}:",
            ),
        )
        return menu

    # -- matches -------------------------------------------------------------------------

    def find_matches(self) -> None:
        role = self.current_role()
        if role is None:
            return
        self._executor.submit(
            lambda: (
                self._services.silver_medalists(role.id),
                self._services.matches(role.id),
            ),
            lambda found: self._matches_found(role, *found),
        )

    def _matches_found(
        self, role: OpportunityRow, silver: list[SilverMedalist], matches: Matches
    ) -> None:
        dialog = PeopleChoiceDialog(
            "matchesDialog",
            f"Who fits {role.title}",
            "Tick the people to add at Sourced. People who came close on an earlier role come "
            "first; people whose preferences conflict with this role are left out, with why.",
            "Add to pipeline",
            self,
        )
        fill_matches(dialog, silver, matches)
        dialog.chosen.connect(lambda ids: self.add_people(ids, role.id, dialog))
        self._show_dialog(dialog)

    def add_people(
        self, person_ids: list[int], opportunity_id: int, dialog: QWidget | None = None
    ) -> None:
        def added(count: int) -> None:
            if dialog is not None:
                dialog.close()
            self.load(opportunity_id)
            self.pipeline_changed.emit()
            people = count_words(count, "person")
            self.hint.setText(f"  Added {people} at Sourced.")

        self._executor.submit(lambda: self._services.add_to_role(person_ids, opportunity_id), added)

    # -- helpers -------------------------------------------------------------------------

    def _show_dialog(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if hasattr(dialog, "open"):
            dialog.open()
        else:
            dialog.show()


def add_to_role(
    services: Services, executor: Executor, person_ids: list[int], parent: QWidget
) -> None:
    """People's "Add to role…": pick an open role and put the selection on it at Sourced."""

    def chosen(roles: list[OpportunityRow]) -> None:
        dialog = AddToRoleDialog(len(person_ids), roles, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            role_id = dialog.role_id()
            if role_id is not None:
                executor.submit(lambda: services.add_to_role(person_ids, role_id))

        dialog.accepted.connect(accepted)
        dialog.open()

    executor.submit(services.opportunities, chosen)
