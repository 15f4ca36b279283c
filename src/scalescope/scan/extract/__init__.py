"""Fact extractors: one module per concern and ecosystem (``js/``, ``py/``, ``schema/``,
``infra/``). Each module defines functions decorated with :func:`extractor`; the engine finds
them itself (no central list), runs the ones whose language and cheap text prefilter match a
file, and collects the facts they emit."""
