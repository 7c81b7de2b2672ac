"""Verwerkingsregister and privacyverklaring: from register facts to a reviewed, exported statement.

Layers, each a small module with one job (none imports gradio):

* :mod:`.model` — the register (art. 30 AVG) as dataclasses, with Dutch validation messages;
* :mod:`.store` — one SQLite file (``register.sqlite3`` in the data dir) for registers,
  suggestions, drafts, versions, comments and the audit trail;
* :mod:`.register_io` — import and export as YAML, CSV and XLSX;
* :mod:`.suggestions` — candidate register entries found in a client's own documents, each with
  the passage as evidence (patterns; a language model when one is configured, checked against
  the evidence);
* :mod:`.statement` — the draft privacyverklaring, one section per art. 13/14 element, from Dutch
  templates in ``prompts/``; :mod:`.polish` lets a language model reword it without changing facts;
* :mod:`.completeness` — which mandatory elements a draft or an existing statement covers;
* :mod:`.review` — draft → ter beoordeling → goedgekeurd/afgewezen, versions with diffs, comments,
  and "verouderd" when the register or a cited document changes after approval;
* :mod:`.export` — Markdown and Word (with a title page);
* :mod:`.service` — the facade the CLI and the web UI use.
"""
