"""Case files in and out, in batches: Parquet, CSV and JSON Lines.

Why batches: a file larger than memory must work, so nothing here ever holds the whole file. Parquet is
read with ``pyarrow.parquet.ParquetFile.iter_batches``; CSV and JSON Lines with Arrow's streaming readers
over blocks of the file. Output is written batch by batch in the order read, so row order is kept.

CSV has no nested types. In CSV, a list column (``nationalities``, ``documents_held``,
``inadmissibility_determined``) and ``family_members`` are JSON text in the cell, e.g.
``["CO","VE"]`` and ``[{"relationship":"MOTHER","ca_status":"PERMANENT_RESIDENT"}]``; booleans are
``true``/``false``; an empty cell takes the default. Bulk output in CSV is encoded the same way, so
output can be read back as input.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from stca.bulk._normalise import BulkInputError
from stca.bulk._schema import FACT_COLUMNS, MEMBER_COLUMNS, Column

#: Formats by name and the file-name endings that select them.
FORMATS: dict[str, tuple[str, ...]] = {
    "parquet": (".parquet", ".pq"),
    "csv": (".csv",),
    "jsonl": (".jsonl", ".ndjson", ".json"),
}
#: Rows per Parquet batch and bytes per CSV/JSON block: big enough to amortise per-batch work, small
#: enough that ten million rows stream in well under 2 GiB.
BATCH_ROWS = 262_144
BLOCK_BYTES = 32 << 20
_NESTED_KINDS = ("list_enum", "list_country", "members")


#: The output path that means standard output, as ``-`` means standard input for ``stca check``.
STDOUT = Path("-")


def detect_format(path: Path, override: str | None = None) -> str:
    """The format named by ``override`` or by the file name's ending.

    Raises:
        BulkInputError: for an unknown format or an ending that names none.
    """
    if override:
        if override not in FORMATS:
            raise BulkInputError(f"format {override!r}: expected one of {', '.join(FORMATS)}")
        return override
    if path == STDOUT:
        raise BulkInputError("-: standard output has no file name to tell the format from; give --output-format "
                             f"({', '.join(FORMATS)})")
    suffix = path.suffix.lower()
    for name, endings in FORMATS.items():
        if suffix in endings:
            return name
    raise BulkInputError(
        f"{path}: cannot tell the format from the ending {suffix or '(none)'!r}; use a .parquet, .csv or "
        ".jsonl file or give the format (--input-format / --output-format)"
    )


@dataclass
class Progress:
    """How far reading has got: ``done`` of ``total`` ``unit`` (rows for Parquet, bytes otherwise)."""

    total: int
    unit: str
    done: int = 0


def _json_type(col: Column) -> pa.DataType:
    """The Arrow type a JSON Lines reader should produce: dates and instants stay text (parsed later)."""
    if col.kind in ("date", "instant", "enum", "country"):
        return pa.string()
    if col.kind == "bool":
        return pa.bool_()
    if col.kind == "int":
        return pa.int64()
    if col.kind == "members":
        return pa.list_(pa.struct([(m.name, _json_type(m)) for m in MEMBER_COLUMNS]))
    return pa.list_(pa.string())


def read_batches(path: Path, fmt: str, progress: Progress | None = None,
                 batch_rows: int = BATCH_ROWS, block_bytes: int = BLOCK_BYTES) -> Iterator[pl.DataFrame]:
    """Raw rows of a case file, batch by batch, in file order (types as the file has them).

    A file without rows (a header-only CSV, an empty JSON Lines file, a Parquet file of zero rows) gives
    one empty batch with the file's columns, so that the output still has every column.

    Args:
        path: the file.
        fmt: ``parquet``, ``csv`` or ``jsonl``.
        progress: updated as batches are read (rows of a Parquet file, bytes of a text file).
        batch_rows: rows per batch (Parquet).
        block_bytes: bytes per batch (CSV, JSON Lines).
    """
    if not path.is_file():
        raise BulkInputError(f"{path}: no such file")
    if fmt == "parquet":
        try:
            parquet = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as exc:
            raise BulkInputError(f"{path}: not a readable Parquet file ({exc})") from None
        if progress is not None:
            progress.total, progress.unit = parquet.metadata.num_rows, "rows"
        if parquet.metadata.num_rows == 0:
            yield _frame(parquet.schema_arrow.empty_table())
            return
        # One row group at a time: pyarrow cannot stitch a batch of nested (list-of-struct, dictionary)
        # columns across a row-group boundary ("Nested data conversions not implemented for chunked
        # array outputs").
        for group in range(parquet.metadata.num_row_groups):
            for batch in parquet.iter_batches(batch_size=batch_rows, row_groups=[group]):
                frame = _frame(batch)
                if progress is not None:
                    progress.done += frame.height
                yield frame
        return
    with path.open("rb") as handle:
        if progress is not None:
            progress.total, progress.unit = path.stat().st_size, "bytes"
        if fmt == "csv":
            yield from _read_csv(handle, path, progress, block_bytes)
        else:
            yield from _read_jsonl(handle, path, progress, block_bytes)


def _frame(data: pa.Table | pa.RecordBatch) -> pl.DataFrame:
    frame = pl.from_arrow(data)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _nothing_after(handle: IO[bytes]) -> bool:
    """Whether the rest of the file is blank (then Arrow's streaming readers are not started: on an empty
    stream pyarrow's CSV reader can abort the process at exit, ``terminate called without an active
    exception``)."""
    start = handle.tell()
    while chunk := handle.read(1 << 16):
        if chunk.strip():
            handle.seek(start)
            return False
    handle.seek(start)
    return True


def _read_csv(handle: IO[bytes], path: Path, progress: Progress | None, block_bytes: int) -> Iterator[pl.DataFrame]:
    header = next(csv.reader(io.TextIOWrapper(io.BytesIO(handle.readline()), encoding="utf-8")), [])
    if not header:
        raise BulkInputError(f"{path}: the CSV file is empty (expected a header row of column names)")
    if _nothing_after(handle):  # a header and no rows
        yield pl.DataFrame(schema=dict.fromkeys(header, pl.String))
        return
    handle.seek(0)
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                   strings_can_be_null=True, quoted_strings_can_be_null=True)
    try:
        reader = pacsv.open_csv(handle, read_options=pacsv.ReadOptions(block_size=block_bytes),
                                convert_options=convert)
        for batch in reader:
            frame = _frame(batch)
            if progress is not None:
                progress.done = handle.tell()
            yield frame
    except pa.ArrowInvalid as exc:
        raise BulkInputError(f"{path}: malformed CSV ({exc})") from None


def _read_jsonl(handle: IO[bytes], path: Path, progress: Progress | None, block_bytes: int) -> Iterator[pl.DataFrame]:
    schema = pa.schema([(c.name, _json_type(c)) for c in FACT_COLUMNS])
    if _nothing_after(handle):  # no rows: the fact columns, empty
        yield _frame(schema.empty_table())
        return
    parse = pajson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")
    try:
        reader = pajson.open_json(handle, read_options=pajson.ReadOptions(block_size=block_bytes),
                                  parse_options=parse)
        for batch in reader:
            frame = _frame(batch)
            if progress is not None:
                progress.done = handle.tell()
            yield frame
    except pa.ArrowInvalid as exc:
        raise _locate_json_problem(path, schema, str(exc)) from None


def _locate_json_problem(path: Path, schema: pa.Schema, arrow_message: str) -> BulkInputError:
    """Find the line and field Arrow could not read (slow, only on the error path)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                pa.Table.from_pylist([_check_object(json.loads(line))], schema=schema)
            except json.JSONDecodeError as exc:
                return BulkInputError(f"row {number}: not valid JSON ({exc.msg} at character {exc.pos})")
            except BulkInputError as exc:
                return BulkInputError(f"row {number}, {exc}")
            except (pa.ArrowException, TypeError, ValueError) as exc:
                return BulkInputError(f"row {number}: {_field_of(line, schema)}{exc}")
    return BulkInputError(f"{path}: cannot read JSON Lines ({arrow_message})")


def _check_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BulkInputError(f"expected a JSON object per line, got {type(value).__name__}")
    return {k: v for k, v in value.items() if k in {c.name for c in FACT_COLUMNS}}


def _field_of(line: bytes, schema: pa.Schema) -> str:
    """Name the first field of a JSON object whose value does not fit its column type."""
    obj = json.loads(line)
    for field in schema:
        if field.name in obj:
            try:
                pa.array([obj[field.name]], type=field.type)
            except (pa.ArrowException, TypeError, ValueError):
                return f"column {field.name}: expected {field.type}, got {obj[field.name]!r} — "
    return ""


def _encode_nested_as_json(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV has no nested types: list and struct columns become JSON text in the cell."""
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, (pl.List, pl.Struct, pl.Array)):
            prefix = json.dumps({name: None})[:-5]  # '{"name": ' without the null and closing brace
            exprs.append(
                pl.struct(pl.col(name)).struct.json_encode()
                .str.strip_prefix(prefix.replace(" ", "")).str.strip_suffix("}").alias(name)
            )
    return frame.with_columns(exprs) if exprs else frame


class CaseWriter:
    """Writes batches of rows to one output file in order (``-``: standard output); use as a context manager."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.target, self.fmt = path, fmt
        # Written beside the target and moved into place only when every batch succeeded: a failure
        # never leaves a truncated result, and never destroys a file that was already there. For standard
        # output the same file is made in the temporary directory and copied out at the end, so a failure
        # writes nothing there either (and Parquet, which needs a seekable file, works too).
        if path == STDOUT:
            self._tmp = tempfile.TemporaryDirectory(prefix="stca-bulk-")
            self.path = Path(self._tmp.name) / "output.partial"
        else:
            self.path = path.with_name(f".{path.name}.partial")
        self._parquet: pq.ParquetWriter | None = None
        self._handle: IO[bytes] | None = None
        self._first = True

    def __enter__(self) -> CaseWriter:
        if not self.target.parent.is_dir():
            raise FileNotFoundError(2, "no such directory", str(self.target.parent))
        if self.fmt != "parquet":
            self._handle = self.path.open("wb")
        return self

    def write(self, frame: pl.DataFrame) -> None:
        """Append one batch."""
        if self.fmt == "parquet":
            table = frame.to_arrow()
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema)
            self._parquet.write_table(table)
        elif self.fmt == "csv":
            assert self._handle is not None
            _encode_nested_as_json(frame).write_csv(self._handle, include_header=self._first)
        else:
            assert self._handle is not None
            frame.write_ndjson(self._handle)
        self._first = False

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._parquet is not None:
            self._parquet.close()
        elif self.fmt == "parquet" and self._first and exc_type is None:  # no batch at all: an empty file
            pq.write_table(pa.table({}), self.path)
        if self._handle is not None:
            self._handle.close()
        if self.target == STDOUT:
            if exc_type is None:
                try:
                    with self.path.open("rb") as done:
                        shutil.copyfileobj(done, sys.stdout.buffer)
                    sys.stdout.buffer.flush()
                except BrokenPipeError:  # the reader had enough (`| head`): not an error, nothing more to say
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            self._tmp.cleanup()
        elif exc_type is None:
            os.replace(self.path, self.target)
        else:
            self.path.unlink(missing_ok=True)


def write_frame(frame: pl.DataFrame, path: Path, fmt: str | None = None) -> None:
    """Write a whole frame (e.g. synthetic cases) in the format of the path."""
    with CaseWriter(path, detect_format(path, fmt)) as writer:
        writer.write(frame)


def copy_rows(src: Path, dst: Path, transform: Callable[[pl.DataFrame, int], pl.DataFrame],
              in_fmt: str | None = None, out_fmt: str | None = None,
              progress: Progress | None = None, batch_rows: int = BATCH_ROWS, block_bytes: int = BLOCK_BYTES) -> int:
    """Stream ``src`` to ``dst`` through ``transform(batch, rows_before)``; return the number of rows."""
    rows = 0
    src_fmt, dst_fmt = detect_format(src, in_fmt), detect_format(dst, out_fmt)
    # Batch k is written on a background thread while batch k+1 is read and evaluated (the Parquet and
    # CSV writers release the GIL); at most one write is pending, so order and memory stay bounded.
    with CaseWriter(dst, dst_fmt) as writer, ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future[None] | None = None
        for batch in read_batches(src, src_fmt, progress, batch_rows, block_bytes):
            result = transform(batch, rows)
            rows += batch.height
            if pending is not None:
                pending.result()
            pending = pool.submit(writer.write, result)
        if pending is not None:
            pending.result()
    return rows
