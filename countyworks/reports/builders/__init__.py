"""Builders: read the database and produce the plain report document (reports/document.py).

Three reports, one module each: `review` (the year-end review of a region's plan), `bulletin` (the
supervision bulletin for a period) and `ledger` (the ledger workbook). `sources` says where every
figure came from (a record and its citation, or the records a computed value was derived from);
`words` holds the Chinese words the documents print for the records' choices. Builders only read;
a section with no data is left out rather than padded.
"""
