"""The registry and the command modules agree: every line has its two functions, and every
command a module defines has its line (docs/architecture.md, "Adding a command")."""

from __future__ import annotations

import importlib
import pkgutil

import recruiter_desk.cli.commands as commands
from recruiter_desk.cli.registry import COMMANDS
from tests.cli.helpers import run


def test_every_registered_command_has_its_arguments_and_its_handler() -> None:
    for command in COMMANDS:
        shown = run(command.name, "--help").stdout
        assert shown.startswith(f"usage: recruiter-desk {command.name} "), command.name
    assert len({c.name for c in COMMANDS}) == len(COMMANDS)


def test_every_command_a_module_defines_is_registered() -> None:
    registered = {(c.module, c.identifier) for c in COMMANDS}
    defined = {
        (info.name, name.removeprefix("arguments_"))
        for info in pkgutil.iter_modules(commands.__path__)
        for name in vars(importlib.import_module(f"{commands.__name__}.{info.name}"))
        if name.startswith("arguments_")
    }
    assert defined == registered
    top_level = run("--help").stdout
    assert all(f"    {c.name} " in top_level or f"    {c.name}\n" in top_level for c in COMMANDS)
