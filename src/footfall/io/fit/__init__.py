"""FIT: the reader (decoded messages -> RawTrack), the header and CRC, the messages both
decoders hand over, fitparse as the reference and fallback decoder, and the fast numpy decoder
in front of it (``fast/``)."""
