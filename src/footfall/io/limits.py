"""Every limit footfall puts on what it reads, in one place (docs/reliability.md lists them).

A hostile or broken file must get its one-line answer in bounded time and memory. The limits
below bound the bytes read from disk, the bytes decompressed (counted as they stream, not
as an archive declares them), the containers around one activity, and how long one activity
may last. Each is generous for real exports and says why.
"""

from __future__ import annotations

MIB = 1024**2  # a mebibyte, the unit below (IEC 80000-13)

#: longest activity put on the 1 Hz grid (series/resample.py) [heuristic: a 100-mile trail
#: race takes 20-36 h; 48 h at 1 Hz analyses in ~2 s and ~140 MB (measured on a synthetic
#: FIT), while 13 days took 6-17 s and 420 MB (issue 11)]
MAX_ACTIVITY_S = 48 * 3600

#: largest file read from disk, an export archive included [heuristic: a Strava or Garmin
#: bulk export of a decade of runs without media is well under 2 GB; the file is read into
#: memory, so this is also the memory a single path may take]
MAX_FILE_BYTES = 2 * 1024 * MIB

#: one activity, decompressed [heuristic: a MAX_ACTIVITY_S run at 1 Hz as GPX with every
#: extension is ~90 MB (~500 bytes a point), FIT 5-10x less; the corpus's largest file is
#: 3.6 MB. A member this size costs the parsers several times its size in memory (a 120 MB
#: FIT of garbage after a few records: 1.7 s, 440 MB), so the limit is not higher]
MAX_MEMBER_BYTES = 128 * MIB

#: a whole archive, decompressed [heuristic: a decade of daily runs as GPX at ~2 MB each]
MAX_TOTAL_BYTES = 8 * 1024 * MIB

#: members of one zip [heuristic: a decade of daily runs is ~4,000 files; a Strava export
#: adds media and CSV files]
MAX_MEMBERS = 20_000

#: decompressed / compressed above this is a bomb [heuristic: FIT compresses 2-5x, GPX and
#: TCX 8-20x; deflate's own ceiling is ~1,030x]
MAX_RATIO = 200
#: the ratio is judged only past this much output, so a tiny but very regular file passes
#: [heuristic: larger than any plausible header-only activity]
RATIO_MIN_BYTES = 1 * MIB

#: zips inside a zip (a Garmin export holds zips of FIT files) [Garmin export layout]
MAX_ZIP_DEPTH = 1
#: containers (zip or gzip) around one activity: export.zip > part.zip > run.fit.gz, with
#: one spare layer [heuristic: Garmin and Strava exports use at most three]
MAX_LAYERS = 4

#: members of one gzip file [heuristic: exporters write one; appending tools (`cat a.gz
#: b.gz`, `gzip -c >>`) make a handful; each member costs a decompressor, so a file of
#: 300,000 empty members is refused at the 101st]
MAX_GZIP_MEMBERS = 100

#: bytes fed to a decompressor, and asked back from it, per step [heuristic: small enough
#: that the limits above are checked every megabyte and that leftover input copied after a
#: gzip member ends stays small; large enough to keep Python's overhead negligible]
FEED_BYTES = 64 * 1024
OUTPUT_BYTES = 1 * MIB  # [heuristic] as FEED_BYTES
