"""The dataset: loading, every kind of bad file, the tokenizer, and the download against a local server."""

import hashlib
import http.server
import os
import threading

import pytest

from microgpt import Tokenizer, load_docs
from microgpt.data import DatasetError, download


def test_names_txt_has_the_reference_figures(names_path):
    docs = load_docs(names_path)
    assert len(docs) == 32033
    assert docs[:3] == ["emma", "olivia", "ava"]  # file order: shuffling is the caller's business
    tok = Tokenizer.from_docs(docs)
    assert tok.vocab_size == 27 and tok.bos == 26 and "".join(tok.chars) == "abcdefghijklmnopqrstuvwxyz"


def test_lines_are_stripped_and_blank_ones_dropped(tmp_path):
    p = tmp_path / "d.txt"
    p.write_text("  anna \n\n\t\nbob\r\n", encoding="utf-8")
    assert load_docs(str(p)) == ["anna", "bob"]


def test_environment_variable_is_used(tmp_path, monkeypatch):
    p = tmp_path / "d.txt"
    p.write_text("zoe\n", encoding="utf-8")
    monkeypatch.setenv("MICROGPT_DATA", str(p))
    assert load_docs() == ["zoe"]


@pytest.mark.parametrize("content, message", [
    (b"", "no documents"),
    (b"\n  \n\t\n", "no documents"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not UTF-8 text"),
    ("anna\n".encode("utf-16"), "not UTF-8 text"),
    (b"caf\xe9\n", "not UTF-8 text"),
])
def test_bad_files_say_what_is_wrong(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(DatasetError, match=message) as err:
        load_docs(str(p))
    assert str(p) in str(err.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        load_docs(str(tmp_path / "nope.txt"))
    with pytest.raises(DatasetError, match="folder"):
        load_docs(str(tmp_path))


def test_unicode_documents_just_work(tmp_path):
    p = tmp_path / "u.txt"
    p.write_text("zoë\nbjörk\n李娜\n", encoding="utf-8")
    docs = load_docs(str(p))
    tok = Tokenizer.from_docs(docs)
    for doc in docs:
        ids = tok.encode_doc(doc)
        assert ids[0] == ids[-1] == tok.bos and tok.decode(ids) == doc


def test_tokenizer_round_trip_and_unknown_character():
    tok = Tokenizer.from_docs(["emma", "bob"])
    assert tok.chars == ["a", "b", "e", "m", "o"] and tok.vocab_size == 6
    assert tok.encode("emma") == [2, 3, 3, 0]
    assert tok.decode([tok.bos, 2, 3, 3, 0, tok.bos]) == "emma"
    assert tok.token_name(tok.bos) == "<BOS>"
    with pytest.raises(Exception, match="'z' is not in the vocabulary"):
        tok.encode("zed")


# --- the download, against a real HTTP server on 127.0.0.1 ---

PAYLOAD = b"anna\nbob\ncarla\n"
FILES = {"/names.txt": PAYLOAD}


class _Handler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 (the name http.server expects)
        type(self).hits += 1
        body = FILES.get(self.path)
        if body is not None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local HTTP server serving /names.txt; yields its base URL."""
    _Handler.hits = 0
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_checks_the_hash_and_caches(server, tmp_path):
    dest = tmp_path / "cache" / "names.txt"
    sha = hashlib.sha256(PAYLOAD).hexdigest()
    assert download(server + "/names.txt", str(dest), sha256=sha) == str(dest)
    assert dest.read_bytes() == PAYLOAD
    download(server + "/names.txt", str(dest), sha256=sha)
    assert _Handler.hits == 1  # the good cached copy is used, not fetched again
    assert not [f for f in os.listdir(dest.parent) if f.endswith(".part")]


def test_checksum_mismatch_saves_nothing(server, tmp_path):
    dest = tmp_path / "names.txt"
    with pytest.raises(DatasetError, match="sha256") as err:
        download(server + "/names.txt", str(dest), sha256="0" * 64)
    assert "MICROGPT_DATA" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_failed_download_tells_the_user_to_set_microgpt_data(server, tmp_path):
    with pytest.raises(DatasetError, match="MICROGPT_DATA"):
        download(server + "/missing.txt", str(tmp_path / "names.txt"))
    with pytest.raises(DatasetError, match="could not download"):
        download("http://127.0.0.1:9/names.txt", str(tmp_path / "names.txt"), timeout=2)
    assert list(tmp_path.iterdir()) == []


def test_the_offline_hint_fits_where_the_learner_is(server, tmp_path, monkeypatch, capsys):
    """A notebook has no --data: its message sets MICROGPT_DATA in the notebook; the command line's keeps --data."""
    from microgpt import cli

    monkeypatch.delenv("MICROGPT_DATA", raising=False)
    monkeypatch.setenv("MICROGPT_CACHE", str(tmp_path / "c"))
    monkeypatch.setenv("MICROGPT_DATA_URL", server + "/missing.txt")
    with pytest.raises(DatasetError) as err:
        load_docs()
    assert 'os.environ["MICROGPT_DATA"] = "/path/to/names.txt"' in str(err.value) and "--data" not in str(err.value)
    assert cli.main(["--steps", "1", "--samples", "0"]) == 1
    line = capsys.readouterr().err
    assert line.count("\n") == 1 and "could not download" in line and "or pass --data PATH" in line


def test_load_docs_downloads_the_pinned_file_into_the_cache(server, names_path, tmp_path, monkeypatch):
    with open(names_path, "rb") as f:
        FILES["/real/names.txt"] = f.read()  # the real bytes, so the pinned sha256 applies
    monkeypatch.delenv("MICROGPT_DATA", raising=False)
    monkeypatch.setenv("MICROGPT_CACHE", str(tmp_path / "c"))
    monkeypatch.setenv("MICROGPT_DATA_URL", server + "/real/names.txt")
    docs = load_docs()
    assert len(docs) == 32033
    assert (tmp_path / "c" / "names.txt").read_bytes() == FILES["/real/names.txt"]
    assert load_docs() == docs and _Handler.hits == 1


def test_wrong_bytes_at_the_pinned_address_are_refused(server, tmp_path, monkeypatch):
    monkeypatch.delenv("MICROGPT_DATA", raising=False)
    monkeypatch.setenv("MICROGPT_CACHE", str(tmp_path / "c"))
    monkeypatch.setenv("MICROGPT_DATA_URL", server + "/names.txt")  # serves 3 names, not the pinned file
    with pytest.raises(DatasetError, match="expected 0a30b5557f19"):
        load_docs()
    assert not (tmp_path / "c" / "names.txt").exists()


def test_bom_is_dropped_and_lines_end_at_newline_only(tmp_path):
    p = tmp_path / "d.txt"
    p.write_bytes(b"\xef\xbb\xbfanna\r\nzo\xe2\x80\xa8e\n")  # a BOM, CRLF, and U+2028 inside a name
    assert load_docs(str(p)) == ["anna", "zo\u2028e"]


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(DatasetError, match="not a regular file"):
        load_docs(str(fifo))


def test_an_empty_path_is_an_error_not_a_download(monkeypatch):
    monkeypatch.setenv("MICROGPT_DATA_URL", "http://127.0.0.1:9/never")
    with pytest.raises(DatasetError, match="empty"):
        load_docs("")
