"""`wsisgraph ingest`: bring a report or an activity list into the graph as sourced, validated facts.

One module per job, in the order the data flows:

    readers     a file (.txt .md .docx .pdf .html) -> its text, bad input as `file[:line]: message`
    clean       extraction artefacts (glued words, hyphenation, page furniture, bookmarks, spaces)
    segment     text -> cover metadata and passages (number as printed, offsets)
    patterns    the recogniser's patterns, as data (patterns.yaml)
    recognise   passages -> mentions (kind, text, span, confidence)
    link        mentions -> the graph's nodes, or new deterministic IRIs
    record      a document's named graph (`ingested/<key>`) as triples, and its review (table/json)
    activities  activity lists (.csv .xlsx) -> wsis:ITUActivity nodes with stated alignments
    storage     DIR/ingested/<key>.ttl: validate, write, list, remove, rebuild

Nothing here is imported by the other commands, so its dependencies (python-docx, pypdf,
openpyxl, pyahocorasick) cost them nothing.
"""
