"""Helpers every command shares: failing cleanly, in one style, and the help screens' type labels.

Every error is ``stca: FIELD: message`` on standard error (one line per problem) and exit status 2 — never
a traceback. FIELD is what the user typed or sent: an option (``--date``), an argument (``INPUT``), an
environment variable (``STCA_DATABASE_URL``) or a fact (``[3].entry_local_date``). Commands that take
``--lang`` say their own sentences in French with ``--lang fr`` (``say``); FIELD is followed by a bare colon
in French too, so that the line reads the same way to a script in either language.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``stca: message`` on standard error and exit with ``code`` (2 = bad input)."""
    fail_all([message], code)


def fail_all(messages: Iterable[str], code: int = 2) -> NoReturn:
    """Print every message as its own ``stca: …`` line on standard error and exit with ``code``."""
    sys.stderr.write("".join(f"stca: {m}\n" for m in messages))
    raise typer.Exit(code)


#: The command line's own sentences, in English and French (the law's messages come from ``stca.law``).
MESSAGES: dict[str, dict[str, str]] = {
    "lang": {"en": "--lang: expected en or fr, got {value!r}", "fr": "--lang: en ou fr attendu, reçu {value!r}"},
    "unreadable": {"en": "{path}: cannot read ({reason})", "fr": "{path}: lecture impossible ({reason})"},
    "empty": {"en": "input: expected a JSON object (one case) or array (many cases), got nothing",
              "fr": "entrée: un objet JSON (un cas) ou un tableau (plusieurs cas) était attendu, rien reçu"},
    "not_json": {"en": "input: not valid JSON (line {line}, column {column}: {reason})",
                 "fr": "entrée: JSON invalide (ligne {line}, colonne {column} : {reason})"},
    "too_deep": {"en": "input: JSON nested too deeply (expected an object of facts or an array of them)",
                 "fr": "entrée: JSON trop imbriqué (un objet de faits ou un tableau d'objets était attendu)"},
    "duplicate": {"en": "{key}: given twice in the same object (the JSON is ambiguous; give each fact once)",
                  "fr": "{key}: donné deux fois dans le même objet (JSON ambigu ; donnez chaque fait une fois)"},
    "more_bad": {"en": "… and {count} more bad case(s) not listed (the first {limit} are)",
                 "fr": "… et {count} autre(s) cas invalide(s) non listé(s) (les {limit} premiers le sont)"},
    "date": {"en": "{option}: expected a date as YYYY-MM-DD, got {value!r}",
             "fr": "{option}: date attendue au format AAAA-MM-JJ, reçu {value!r}"},
    "country": {"en": "--country: expected CA or US, got {value!r}",
                "fr": "--country: CA ou US attendu, reçu {value!r}"},
    "rule": {"en": "--rule: unknown rule {value!r}; e.g. {examples}, …",
             "fr": "--rule: règle inconnue {value!r} ; p. ex. {examples}, …"},
    "before": {"en": "The Agreement was not in force on {date}: IRPR 159.1–159.7 and 8 CFR 208.30(e)(6) took "
                     "effect on 2004-12-29 (IRPR 159.7). No STCA rule applies before that date.",
               "fr": "L'Entente n'était pas en vigueur le {date} : les articles 159.1 à 159.7 du RIPR et le "
                     "8 CFR 208.30(e)(6) ont pris effet le 2004-12-29 (RIPR 159.7). Aucune règle de l'ETPS ne "
                     "s'applique avant cette date."},
}


def say(message: str, lang: str = "en", /, **values: Any) -> str:
    """The command line's sentence ``message`` in ``lang`` (English when the language is not one we speak)."""
    texts = MESSAGES[message]
    return texts.get(lang, texts["en"]).format(**values)


# --- help screens -----------------------------------------------------------------------------------------

_LABELS: dict[Any, str] = {str: "TEXT", Path: "PATH", int: "INTEGER", float: "NUMBER"}


def _label(param: TyperArgument | TyperOption) -> str:
    """The classic label of a parameter's value: TEXT, PATH, INTEGER (a list takes the label of its items)."""
    desc = param.type_descriptor
    annotation = desc.annotation
    if desc.is_list:
        annotation = getattr(annotation, "__args__", (str,))[0]
    if desc.is_tuple:
        return " ".join(_LABELS.get(a, "TEXT") for a in getattr(annotation, "__args__", ()))
    if desc.is_path:
        return "PATH"
    if desc.is_ranged:
        return _LABELS.get(annotation, "NUMBER")
    return _LABELS.get(annotation, "TEXT")


class _Argument(TyperArgument):
    def display_type(self, ctx: Any) -> str:
        return _label(self)

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        return (name if self.required else f"[{name}]") + ("..." if self.nargs != 1 else "")


class _Option(TyperOption):
    def display_type(self, ctx: Any) -> str:
        return "" if self.is_flag else _label(self)


class Command(TyperCommand):
    """A command whose ``--help`` labels values TEXT, PATH, INTEGER and leaves flags unlabelled.

    typer 0.29 labels each parameter with its Python annotation — ``<str>``, ``<list[str]>``, ``<bool>``
    even on ``--help`` — and writes required arguments as ``{OUTPUT}`` in the usage line; neither is
    what a user types. Every ``stca`` command is one (``Group`` makes them so; tests/cli/test_help.py
    checks each help screen).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _relabel(param)

    def get_help_option(self, ctx: Any) -> Any:
        return _relabel(super().get_help_option(ctx))


class Group(TyperGroup):
    """A command group (``stca``, ``stca data`` …) whose ``--help`` flag is unlabelled, as in ``Command``;
    its commands become ``Command``s even when registered without ``cls=Command``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in getattr(self, "commands", {}).values():
            if type(command) is TyperCommand:
                command.__class__ = Command  # Command adds no state, only the help screen's labels
                for param in command.params:
                    _relabel(param)

    def get_help_option(self, ctx: Any) -> Any:
        return _relabel(super().get_help_option(ctx))  # --help is a flag: no type label


def _relabel(param: Any) -> Any:
    """``param`` with the display methods above (the subclasses add no state); None stays None."""
    if type(param) is TyperArgument:
        param.__class__ = _Argument
        if param.metavar is None and param.name:
            param.metavar = param.name.upper()  # as the usage line writes it
    elif type(param) is TyperOption:
        param.__class__ = _Option
    return param
