"""ARCHITECTURE.md against the code: its module table names every module there is and none that is gone, and the
seams it states hold (only `workspace` and `schema` speak SQL)."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "casereview"
ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
TABLE = ARCHITECTURE.partition("| module | holds |")[2].partition("\n\n")[0]


def named_in_table() -> set[str]:
    """Every `name` in backticks in the table's rows (first column and descriptions)."""
    return set(re.findall(r"`([^`]+)`", TABLE))


def test_the_module_table_names_every_module_of_the_package():
    modules = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("__")}
    packages = {f"{p.name}/" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    inner = {p.stem for sub in ("pii", "tui") for p in (PACKAGE / sub).glob("*.py") if not p.stem.startswith("__")}
    named = named_in_table() | {n.removesuffix(".py") for n in named_in_table()}
    assert not (modules | packages | inner) - named, "modules ARCHITECTURE.md's table does not name"


def test_the_module_table_lists_no_module_that_is_gone():
    first_column = [cell for row in TABLE.splitlines()[2:] for cell in re.findall(r"`([^`]+)`", row.split("|")[1])]
    assert first_column
    gone = [m for m in first_column if not (PACKAGE / m.rstrip("/")).exists() and not (PACKAGE / f"{m}.py").exists()]
    assert not gone


def test_only_workspace_and_schema_speak_sql():
    # the seam ARCHITECTURE.md states: SQL in one place, so a change of schema has one module to read
    speaking = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if p.name not in ("workspace.py", "schema.py")
                and re.search(r"\.execute(many|script)?\(", p.read_text(encoding="utf-8"))]
    assert not speaking


def names_not_in_the_code(text: str) -> list[str]:
    """The names ``text`` gives in backticks (`Workspace.copy_database`, `iter_notes`) that
    no source of the package, the corpora's scripts or the benchmarks holds (a file's suffix is no name)."""
    sources = [*PACKAGE.rglob("*"), *(ROOT / "corpora").rglob("*.py"), *(ROOT / "bench").glob("*.py")]
    words = {word for p in sources if p.is_file() and p.suffix in (".py", ".html", ".md", ".json", ".tcss")
             for word in re.findall(r"\w+", p.read_text(encoding="utf-8"))}
    named = {name.rpartition(".")[2] for name in re.findall(r"`([A-Za-z_][\w.]*)`", text)}
    suffixes = {"py", "md", "json", "jsonl", "csv", "html", "toml", "tcss", "joblib", "png"}
    return sorted(named - suffixes - words)


def test_every_name_it_gives_in_backticks_is_in_the_code():
    # a function renamed or removed (decision_made_in, gone with merge's staged tables) stayed named here
    assert not names_not_in_the_code(ARCHITECTURE)
