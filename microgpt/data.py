"""The dataset and the tokenizer: names in, lists of token ids out.

Where the documents come from, in order of preference:
1. an explicit path given by the caller (the command line's ``--data``);
2. the environment variable ``MICROGPT_DATA``;
3. a cached copy of names.txt, downloaded once from the pinned makemore commit and checked by sha256.
"""

import hashlib
import os
import stat
import urllib.error
import urllib.request

from .errors import MicrogptError
from .files import atomic_write
from .guards import check_chars, check_docs, check_encodable, check_token_id

# The reference trains on makemore's names.txt at this commit (MIT licence, Andrej Karpathy);
# the hash pins the exact bytes so that everybody trains on the same 32,033 names.
NAMES_URL = "https://raw.githubusercontent.com/karpathy/makemore/988aa59/names.txt"
NAMES_SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"
# what to do when names.txt cannot be downloaded: in a notebook (os.environ works until the next load_docs) ...
OFFLINE_HINT = ("set MICROGPT_DATA to the path of a local names.txt (one name a line): in the notebook, "
                "os.environ[\"MICROGPT_DATA\"] = \"/path/to/names.txt\"; or start with "
                "MICROGPT_DATA=/path/to/names.txt make lab")
# ... and on the command line, which also has a flag for it
CLI_OFFLINE_HINT = "set MICROGPT_DATA to the path of a local names.txt (one name a line) or pass --data PATH"


class DatasetError(MicrogptError):
    """The dataset is missing, empty, not text, or could not be downloaded. Used in lesson 02."""


def cache_dir():
    """The folder for the cached dataset: $MICROGPT_CACHE, else the platform's user cache folder. Lesson 02."""
    if os.environ.get("MICROGPT_CACHE"):
        return os.environ["MICROGPT_CACHE"]
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "microgpt")


def download(url=None, dest=None, sha256=None, timeout=30, hint=OFFLINE_HINT):
    """Fetch `url` to `dest`, check its sha256, and return dest; an existing good file is kept. Lesson 02.

    The URL defaults to $MICROGPT_DATA_URL or the pinned names.txt, the hash to names.txt's. The file is
    written only once its checksum is right, and atomically, so a failed or interrupted download never
    leaves a half-written dataset behind. A failure says what went wrong, then `hint`: what to do offline.
    """
    url = url or os.environ.get("MICROGPT_DATA_URL") or NAMES_URL
    sha256 = sha256 or NAMES_SHA256
    dest = dest or os.path.join(cache_dir(), "names.txt")
    if os.path.exists(dest) and _sha256_of_file(dest) == sha256:
        return dest
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            payload = response.read()
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise DatasetError(f"could not download the dataset from {url} ({reason}); {hint}") from None
    digest = hashlib.sha256(payload).hexdigest()
    if digest != sha256:
        raise DatasetError(f"the file downloaded from {url} has sha256 {digest[:12]}..., expected "
                           f"{sha256[:12]}... (a wrong or damaged file; nothing was saved); {hint}")
    atomic_write(dest, payload)
    return dest


def _sha256_of_file(path):
    """The sha256 of a file's bytes, as hex."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def dataset_path(path=None, hint=OFFLINE_HINT):
    """Where the documents come from: `path`, else $MICROGPT_DATA, else the cached download. Lesson 02."""
    if path is not None:
        return str(path)
    if os.environ.get("MICROGPT_DATA"):
        return os.environ["MICROGPT_DATA"]
    return download(hint=hint)


def load_docs(path=None):
    """Read the documents: one per line, each stripped, blank lines dropped, in file order (not shuffled).

    Lines end at "\n" only (a "\r" before it is stripped): characters such as U+2028, which Python's
    splitlines() would also split at, stay inside a document. A UTF-8 byte-order mark is dropped.
    Used from lesson 02 on.
    """
    path = dataset_path(path)
    where = "" if path != os.environ.get("MICROGPT_DATA") else " (from MICROGPT_DATA)"
    raw = _read_regular_file(path, where)
    try:
        if b"\x00" in raw:  # NUL bytes never occur in text; this catches UTF-16 and binary files
            raise UnicodeDecodeError("utf-8", raw, raw.index(b"\x00"), raw.index(b"\x00") + 1, "NUL byte")
        text = raw.decode("utf-8-sig")  # -sig: a byte-order mark at the start is not a character of a name
    except UnicodeDecodeError:
        raise DatasetError(f"dataset file is not UTF-8 text: {path}{where}; give a text file with one "
                           "document (e.g. a name) per line") from None
    docs = [line.strip() for line in text.split("\n") if line.strip()]
    if not docs:
        raise DatasetError(f"dataset file has no documents (it is empty or only blank lines): {path}{where}; "
                           "give a text file with one document (e.g. a name) per line")
    return docs


def _read_regular_file(path, where):
    """The bytes of the file at `path`; a DatasetError if it is missing or not a regular file (a FIFO would hang)."""
    if not path:
        raise DatasetError("the dataset path is empty; give the path of a text file with one document per line")
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL character in the path
        raise DatasetError(f"dataset file not found: {path}{where}; check the path, or unset MICROGPT_DATA "
                           "to use the downloaded names.txt") from None
    if stat.S_ISDIR(info.st_mode):
        raise DatasetError(f"dataset path is a folder, not a file: {path}{where}")
    if not stat.S_ISREG(info.st_mode):
        raise DatasetError(f"dataset path is not a regular file (a pipe or a device): {path}{where}; "
                           "give a text file with one document per line")
    with open(path, "rb") as f:
        return f.read()


class Tokenizer:
    """Characters to token ids and back, plus one special token, BOS, that starts and ends a document. Lesson 02."""

    def __init__(self, chars):
        """Build from the sorted list of distinct characters; token id = position in that list. Lesson 02."""
        check_chars(chars)
        self.chars = list(chars)
        self.bos = len(self.chars)  # BOS is the last id, after every character
        self.vocab_size = len(self.chars) + 1
        self._ids = {ch: i for i, ch in enumerate(self.chars)}  # a dict: same ids as chars.index, faster

    @classmethod
    def from_docs(cls, docs):
        """The tokenizer of a corpus: every character that occurs in it, sorted. Built in lesson 02."""
        check_docs(docs)
        return cls(sorted(set("".join(docs))))

    def encode(self, text):
        """Token ids of the characters of `text` (no BOS added). Built in lesson 02."""
        check_encodable(text, self._ids)
        return [self._ids[ch] for ch in text]

    def encode_doc(self, doc):
        """A training sequence: BOS, the document's characters, BOS. Built in lesson 02."""
        return [self.bos] + self.encode(doc) + [self.bos]

    def decode(self, ids):
        """Text of a list of token ids; BOS tokens are left out. Built in lesson 02."""
        return "".join(self.token_name(i) for i in ids if i != self.bos)

    def token_name(self, i):
        """A printable name for one token id: its character, or '<BOS>'. Used from lesson 02 on."""
        index = check_token_id(i, self.bos)
        return "<BOS>" if index == self.bos else self.chars[index]

    def __repr__(self):
        """Show the vocabulary size and the characters."""
        return f"Tokenizer(vocab_size={self.vocab_size}, chars={''.join(self.chars)!r})"
