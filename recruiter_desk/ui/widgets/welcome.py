"""The first screen on an empty database."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from recruiter_desk.ui.style import named


class WelcomePanel(QWidget):
    """Shown on an empty database: import, load a demo network, or start empty."""

    import_chosen = Signal()
    demo_chosen = Signal()
    empty_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        title = QLabel("<h1>Welcome to Recruiter Desk</h1>")
        text = QLabel(
            "Keep your whole network here — candidates, people who never applied, hiring "
            "managers — and the app keeps you honest: who is owed a reply, who has gone cold, "
            "what each person wants.<br><br>How would you like to start?"
        )
        text.setWordWrap(True)
        text.setObjectName("welcomeText")
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # A fixed width and the height that width needs: an aligned item in a box layout
        # gets its one-line size hint, which cut the text off mid-sentence.
        text.setFixedWidth(560)
        text.setMinimumHeight(text.heightForWidth(560))
        import_button = named(
            QPushButton("Import a file… (LinkedIn, vCard, Google, Outlook, CSV)"),
            "welcomeImportButton",
        )
        demo_button = named(QPushButton("Load a demo network (2,000 people)"), "welcomeDemoButton")
        empty_button = named(QPushButton("Start empty"), "welcomeEmptyButton")
        import_button.clicked.connect(self.import_chosen)
        demo_button.clicked.connect(self.demo_chosen)
        empty_button.clicked.connect(self.empty_chosen)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, text, import_button, demo_button, empty_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
            if isinstance(widget, QPushButton):
                widget.setMinimumWidth(420)
        layout.addStretch(2)
