import json
import sys
import tracemalloc

import pytest

from casereview.errors import InputError
from casereview.notes import MAX_TEXT_BYTES, NOT_WHOLE_UTF16, iter_notes, read_csv, read_jsonl, validate
from casereview.taxonomy import LABEL_NAMES


def test_valid_note_keeps_extra_fields():
    note = validate({"note_id": "a", "text": "t", "origin": "hand:x", "labels": ["delay_timeliness"]}, "f", 1)
    assert note.extra == {"origin": "hand:x"}
    assert note.labels == ["delay_timeliness"]


@pytest.mark.parametrize(
    "raw, field, problem",
    [
        ({"text": "t"}, "note_id", "missing"),
        ({"note_id": "a"}, "text", "missing"),
        ({"note_id": "a", "text": "  \n"}, "text", "empty"),
        ({"note_id": "a", "text": 5}, "text", "must be a string"),
        ({"note_id": "a", "text": "t", "date": "25/01/2025"}, "date", "ISO"),
        ({"note_id": "a", "text": "t", "date": "2025-02-30"}, "date", "ISO"),
        ({"note_id": "a", "text": "t", "author_role": "wizard"}, "author_role", "'wizard' is not a codebook author role"),
        ({"note_id": "a", "text": "t", "note_type": "chat"}, "note_type", "'chat' is not a codebook note type"),
        ({"note_id": "a", "text": "t", "labels": ["risk"]}, "labels", "unknown label"),
        ({"note_id": "a", "text": "t", "labels": "delay_timeliness;delay_timeliness"}, "labels", "twice"),
        ({"note_id": "a", "text": "x" * (MAX_TEXT_BYTES + 1)}, "text", "over 1 MB"),
        ({"note_id": "a", "text": "\ud800"}, "text", "invalid Unicode"),
        ({"note_id": ["a"], "text": "t"}, "note_id", "must be a string"),
    ],
)
def test_invalid_notes_name_the_field(raw, field, problem):
    with pytest.raises(InputError) as info:
        validate(raw, "notes.jsonl", 7)
    assert info.value.field == field
    assert problem in info.value.problem
    assert str(info.value).startswith("notes.jsonl:7: field '%s'" % field)


def quotes(message: str, text: str, size: int = 8) -> bool:
    """Whether ``message`` holds any ``size`` characters in a row of ``text``."""
    return any(text[i:i + size] in message for i in range(len(text) - size + 1))


def test_error_messages_never_contain_note_text():
    secret = "The child disclosed that step-father hit her"
    for raw in ({"note_id": "a", "text": secret, "date": "nope"}, {"note_id": "a", "text": secret, "labels": [secret]},
                {"note_id": "a", "text": "t", "labels": "Mum said; delay_timeliness"}):
        with pytest.raises(InputError) as info:
            validate(raw, "f", 1)
        assert not quotes(str(info.value), secret) and "Mum said" not in str(info.value)
        assert str(info.value).endswith(("(YYYY-MM-DD)", "known: " + ", ".join(LABEL_NAMES)))


def test_jsonl_reader_locates_bad_lines(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_bytes(b'{"note_id": "a", "text": "t"}\n\n{"note_id": "b", \n{"note_id": "c", "text": "\xff"}\n')
    items = list(iter_notes(read_jsonl(path), "n.jsonl"))
    assert [type(i).__name__ for i in items] == ["Note", "InputError", "InputError"]
    assert (items[1].line, items[2].line) == (3, 4)
    assert "bad JSON" in items[1].problem and "UTF-8" in items[2].problem


def test_duplicate_ids_within_a_file(tmp_path):
    items = list(iter_notes([(1, {"note_id": "a", "text": "x"}), (2, {"note_id": "a", "text": "y"})], "f"))
    assert isinstance(items[1], InputError) and "duplicate" in items[1].problem and "line 1" in items[1].problem


def test_csv_reader_with_mapping_and_multiline_cells(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('Ref,Narrative,ClientRef\nr1,"two\nlines",C9\nr2,one,C9\n', encoding="utf-8")
    rows = list(read_csv(path, {"Ref": "note_id", "Narrative": "text", "ClientRef": "case_id"}))
    assert rows == [(2, {"note_id": "r1", "text": "two\nlines", "case_id": "C9"}),
                    (4, {"note_id": "r2", "text": "one", "case_id": "C9"})]


def test_bad_json_is_located_at_its_column_on_its_line(tmp_path):
    path = tmp_path / "n.jsonl"
    truncated = '{"note_id": "b", "text": "t"'
    path.write_text('{"note_id": "a", "text": "t"}\n' + truncated + "\r\n" + '{"note_id": "c", "text": "t"}\n')
    (error,) = [i for i in iter_notes(read_jsonl(path), "n.jsonl") if isinstance(i, InputError)]
    assert str(error) == f"n.jsonl:2: bad JSON: Expecting ',' delimiter at column {len(truncated) + 1}"


def test_an_unterminated_string_is_located_in_plain_words(tmp_path):
    """json's message ends 'starting at', to which the column was added as 'starting at at column 30'."""
    path = tmp_path / "n.jsonl"
    path.write_text('{"note_id": "b", "text": "cut off\n')
    (error,) = [i for i in iter_notes(read_jsonl(path), "n.jsonl") if isinstance(i, InputError)]
    assert str(error) == "n.jsonl:1: bad JSON: Unterminated string starting at column 26"


def test_a_windows_1252_byte_rejects_its_row_and_names_its_field(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"note_id,text,team\nr1,fine,A\nr2,Caf\xe9 visit \x96 seen,B\nr3,also fine,C\n")
    items = list(iter_notes(read_csv(path), "export.csv"))
    assert [type(i).__name__ for i in items] == ["Note", "InputError", "Note"]
    assert str(items[1]).startswith("export.csv:3: field 'text': not UTF-8 text")
    assert "--encoding cp1252" in str(items[1])  # the option that reads it
    assert "Caf" not in str(items[1])
    jsonl = tmp_path / "n.jsonl"
    jsonl.write_bytes(b'{"note_id": "a", "text": "t", "team": "Caf\xe9"}\n{"note_id": "b", "text": "t"}\n')
    items = list(iter_notes(read_jsonl(jsonl), "n.jsonl"))
    assert str(items[0]).startswith("n.jsonl:1: field 'team': not UTF-8 text") and items[1].note_id == "b"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_a_bom_and_semicolons_or_tabs(delimiter, tmp_path):
    path = tmp_path / "export.csv"
    rows = [["note_id", "text", "case_id"], ["r1", "Visit; seen, alone", "C1"]]
    path.write_text("\ufeff" + "\n".join(delimiter.join(f'"{c}"' for c in row) for row in rows) + "\n", encoding="utf-8")
    assert list(read_csv(path)) == [(2, {"note_id": "r1", "text": "Visit; seen, alone", "case_id": "C1"})]


def test_a_csv_file_read_as_it_streams_reads_as_it_did_whole(tmp_path):
    # a CSV file is decoded and read a line at a time (200,000 notes held whole took 1.5 GB): a character of several
    # bytes, a line break of two and a cell running over lines read the same wherever the reader's chunks of the
    # file (8 KB) end, line numbers too
    texts = ["Visit \u2192 seen \U0001F600 alone", "Line one\r\nline two \u00e9", "Crisp \u00a3 end"]
    for shift in range(60):  # the first chunk's end moved through the rows after the first, a byte at a time
        pad = "x" * (8192 - len('note_id,text\r\nr0,""\r\nr1,"') - shift)
        rows = [("r0", pad)] + [(f"r{i}", text) for i, text in enumerate(texts, 1)]
        path = tmp_path / f"export{shift}.csv"
        path.write_bytes(("note_id,text\r\n" + "".join(f'{n},"{t}"\r\n' for n, t in rows)).encode("utf-8"))
        assert list(read_csv(path)) == [(2, {"note_id": "r0", "text": pad}), (3, {"note_id": "r1", "text": texts[0]}),
                                        (4, {"note_id": "r2", "text": texts[1]}), (6, {"note_id": "r3", "text": texts[2]})]


@pytest.mark.parametrize("form, encoding", [("utf-16-le", None), ("utf-16-be", None), ("utf-16-le", "utf-16-le")])
def test_a_utf16_csv_file_read_as_it_streams_reads_as_it_did_whole(tmp_path, form, encoding):
    # a UTF-16 file (Excel's "Unicode Text", PowerShell's '>') is decoded and read a line at a time too, once it has
    # been decoded through (it was held whole): a surrogate pair, a line break of two and a cell running over lines
    # read the same wherever the reader's chunks (8 KB: 4,095 code units after the byte-order mark) end, line
    # numbers too; the mark is no part of the header, read by it (utf-16) or given (utf-16-le)
    texts = ["Visit \u2192 seen \U0001F600 alone", "Line one\r\nline two \u00e9", "Crisp \u00a3 end"]
    for shift in range(60):  # the first chunk's end moved through the rows after the first, a code unit at a time
        pad = "x" * (4095 - len('note_id,text\r\nr0,""\r\nr1,"') - shift)
        rows = [("r0", pad)] + [(f"r{i}", text) for i, text in enumerate(texts, 1)]
        path = tmp_path / f"export{shift}.csv"
        path.write_bytes(("\ufeffnote_id,text\r\n" + "".join(f'{n},"{t}"\r\n' for n, t in rows)).encode(form))
        assert list(read_csv(path, encoding=encoding)) == [
            (2, {"note_id": "r0", "text": pad}), (3, {"note_id": "r1", "text": texts[0]}),
            (4, {"note_id": "r2", "text": texts[1]}), (6, {"note_id": "r3", "text": texts[2]})]


@pytest.mark.parametrize("form, encoding", [("utf-16-le", "utf-16"), ("utf-32", "utf-32"), ("utf-32-le", "utf-32"),
                                            ("utf-32-be", "utf-32-be")])
def test_a_csv_file_in_utf16_or_utf32_named_by_encoding_reads_with_or_without_its_mark(tmp_path, form, encoding):
    # --encoding utf-32 was a traceback whatever the file ('code point not in range' testing for a single-byte
    # encoding), and --encoding utf-16 for a file with no mark one too once such files streamed ('UTF-16 stream does
    # not start with BOM'): read in this machine's order, as decoding the file whole reads it
    path = tmp_path / "export.csv"
    path.write_bytes('note_id,text\r\nr1,"Seen \u00a3 \U0001F600"\r\n'.encode(form))
    assert list(read_csv(path, encoding=encoding)) == [(2, {"note_id": "r1", "text": "Seen \u00a3 \U0001F600"})]


def test_a_utf8_csv_file_read_as_utf32_is_its_one_error_not_a_traceback(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"note_id,text\r\nr1,Seen.\r\n")
    assert [(n, str(e)) for n, e in read_csv(path, encoding="utf-32")] == \
        [(1, f"export.csv:1: not whole utf-32-{'le' if sys.byteorder == 'little' else 'be'} text from this line on")]


@pytest.mark.parametrize("fault", [b"\x3d\xd8", b"r"], ids=["half a surrogate pair", "cut short"])
def test_where_a_utf16_csv_file_stops_being_text_is_its_one_error_wherever_the_first_reading_ends(tmp_path, fault):
    # the file is decoded through a megabyte at a time before any row is read, keeping only its count of lines:
    # where its text stops being whole is still the file's one error, on its line, with no row read before it,
    # whether the fault is before, across or after the end of such a megabyte
    data = ("\ufeffnote_id,text\r\n" + "".join(f"r{i},Seen at home.\r\n" for i in range(2, 40_000))).encode("utf-16-le")
    path = tmp_path / "export.csv"
    for offset in range(-6, 8, 2):
        at = (1 << 20) + offset
        line = data[:at].decode("utf-16").count("\n") + 1
        path.write_bytes(data[:at] + fault + (data[at:] if len(fault) == 2 else b""))
        assert [(n, str(e)) for n, e in read_csv(path)] == [(line, f"export.csv:{line}: {NOT_WHOLE_UTF16}")]


@pytest.mark.parametrize("form, encoding", [("utf-16-le", None), ("utf-16-be", None), ("utf-16-le", "utf-16-le"),
                                            ("utf-32-le", "utf-32")])
def test_a_utf16_jsonl_file_read_as_it_streams_reads_as_it_did_whole(tmp_path, form, encoding):
    # a JSON Lines file in UTF-16 (PowerShell's '>') or another multi-byte encoding is decoded and read a line at a
    # time, once decoded through (it was held whole): a surrogate pair reads the same wherever the reader's chunks
    # (8 KB) end, and lines break at line feeds alone, as read whole: a carriage return between a note's values is
    # white space, U+2028 in its text is text
    unit = len("x".encode(form))
    texts = ["Visit \u2192 seen \U0001F600 alone", "Line one\u2028line two \u00e9", "Crisp \u00a3 end"]
    notes = [{"note_id": f"r{i}", "text": text} for i, text in enumerate(texts, 1)]
    for shift in range(60):  # the first chunk's end moved through the rows after the first, a code unit at a time
        pad = "x" * (8192 // unit - 1 - len('{"note_id": "r0", "text": ""}\r\n') - shift)
        lines = [json.dumps({"note_id": "r0", "text": pad}), json.dumps(notes[0], ensure_ascii=False).replace(", ", ",\r "),
                 json.dumps(notes[1], ensure_ascii=False), "", json.dumps(notes[2], ensure_ascii=False)]
        path = tmp_path / f"notes{shift}.jsonl"
        path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode(form))
        assert list(read_jsonl(path, encoding=encoding)) == [(1, {"note_id": "r0", "text": pad}), (2, notes[0]),
                                                             (3, notes[1]), (5, notes[2])], shift


@pytest.mark.parametrize("fault", [b"\x3d\xd8", b"r"], ids=["half a surrogate pair", "cut short"])
def test_where_a_utf16_jsonl_file_stops_being_text_the_rows_before_are_read_and_then_its_error(tmp_path, fault):
    # the file is decoded through a megabyte at a time first; one whose text is not whole is read whole as before:
    # its rows up to the line where it stops being whole, then that line's error, wherever the fault is
    notes = [{"note_id": f"r{i}", "text": "Seen at home."} for i in range(40_000)]
    data = ("\ufeff" + "".join(json.dumps(n) + "\n" for n in notes)).encode("utf-16-le")
    path = tmp_path / "notes.jsonl"
    for offset in range(-6, 8, 2):
        at = (1 << 20) + offset
        line = data[:at].decode("utf-16").count("\n") + 1
        path.write_bytes(data[:at] + fault + (data[at:] if len(fault) == 2 else b""))
        read = list(read_jsonl(path))
        assert read[:-1] == list(enumerate(notes[:line - 1], 1))
        assert (read[-1][0], str(read[-1][1])) == (line, f"notes.jsonl:{line}: {NOT_WHOLE_UTF16}")


def test_a_utf16_jsonl_file_is_read_a_line_at_a_time_not_held_whole(tmp_path):
    # 20,000 notes in UTF-16 (28.7 MB) took 60.5 MB to read, a quarter of them 15 MB: now about 2 MB either way
    def peak_reading(n: int) -> int:
        path = tmp_path / f"notes{n}.jsonl"
        path.write_text("".join(json.dumps({"note_id": f"r{i}", "text": "Seen at home. " * 10}) + "\n"
                                for i in range(n)), encoding="utf-16")
        tracemalloc.start()
        try:
            assert sum(1 for _ in read_jsonl(path)) == n
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak_reading(40_000) < 1.5 * peak_reading(10_000)


def test_a_csv_file_of_a_byte_order_mark_cut_short_is_not_utf8_text(tmp_path):
    # read whole as UTF-8 with its mark, 0xEF alone was a byte that is not UTF-8 (utf-8-sig's incremental decoder,
    # reading a file as it streams, drops it: the file would read as empty)
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef")
    (item,) = list(read_csv(path))
    assert str(item[1]).startswith("export.csv:1: column names: not UTF-8 text")


def test_a_csv_without_a_note_id_column_is_one_error_on_its_header(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,text\nr1,a\nr2,b\n", encoding="utf-8")
    (error,) = list(iter_notes(read_csv(path), "export.csv"))
    assert str(error) == ("export.csv:1: no 'note_id' column; rename one with --map SOURCE=note_id "
                          "(columns: id, text)")


def test_a_json_array_is_one_error(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('[\n  {"note_id": "a", "text": "t"},\n  {"note_id": "b", "text": "u"}\n]\n', encoding="utf-8")
    (error,) = list(iter_notes(read_jsonl(path), "export.json"))
    assert str(error).startswith("export.json:1: a JSON array, not JSON Lines")


def test_csv_columns_without_a_name_are_not_read(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("note_id,text,,\nr1,a,,\n", encoding="utf-8")  # as spreadsheets save trailing empty columns
    assert list(read_csv(path)) == [(2, {"note_id": "r1", "text": "a"})]


def test_a_csv_row_may_leave_out_the_cells_of_columns_without_a_name(tmp_path):
    # a spreadsheet's header ends in ",," but its rows may stop at their last filled cell: they were rejected
    path = tmp_path / "export.csv"
    path.write_text("note_id,text,,\nr1,a\nr2,b,\nr3,c,,\nr4\n", encoding="utf-8")
    rows = list(read_csv(path))
    assert rows[:3] == [(2, {"note_id": "r1", "text": "a"}), (3, {"note_id": "r2", "text": "b"}),
                        (4, {"note_id": "r3", "text": "c"})]
    assert str(rows[3][1]) == "export.csv:5: 1 cell for 4 columns"  # a named column left out is still an error


def test_a_number_too_long_to_read_is_its_lines_error(tmp_path):
    # Python refuses to read an integer of over 4300 digits (a ValueError that is no JSONDecodeError)
    path = tmp_path / "n.jsonl"
    path.write_text('{"note_id": "a", "text": "t"}\n{"note_id": ' + "1" * 5000 + ', "text": "t"}\n', encoding="utf-8")
    items = list(iter_notes(read_jsonl(path), "n.jsonl"))
    assert [type(i).__name__ for i in items] == ["Note", "InputError"]
    assert str(items[1]).startswith("n.jsonl:2: bad JSON: a number too long")


def test_a_byte_order_mark_on_a_blank_first_line_is_blank(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_bytes(b'\xef\xbb\xbf\r\n{"note_id": "a", "text": "t"}\n')
    assert [(line, note.note_id) for line, note in
            ((n, validate(raw, "n.jsonl", n)) for n, raw in read_jsonl(path))] == [(2, "a")]
