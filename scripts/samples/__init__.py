"""Generators of sample_activities/: synthetic runs whose ground truth is known.

``scripts/make_samples.py`` is the entry point. The modules, from the bottom up:

- :mod:`samples.motion`: the shared signals (seeded noise, speed, cadence, heart rate, route,
  irregular sampling) and the clock of the samples;
- :mod:`samples.truth`: the ``X.truth.json`` content (channel medians and tolerances);
- :mod:`samples.fit_messages`: FIT message helpers (file start, laps, sessions, records,
  running dynamics) over :class:`samples.fit_write.FitWriter`;
- :mod:`samples.fit_samples`, :mod:`samples.gpx_samples`, :mod:`samples.tcx_samples`: one
  function per sample, returning its bytes and its truth;
- :mod:`samples.folder`: the list of samples, writing the folder and ``--check``.
"""
