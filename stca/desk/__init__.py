"""The case desk: FastAPI + SQLAlchemy application for intake, determination, review and capacity.

Layers, one direction of imports: ``domain`` (vocabularies) → ``models``/``db``/``audit`` (storage)
→ ``services`` (every operation, see its docstring) → ``deps`` (who may call) → ``api`` (JSON) and
``web`` (pages) → ``app.create_app``. The law itself is asked of ``stca.law``, never re-coded here.
"""
