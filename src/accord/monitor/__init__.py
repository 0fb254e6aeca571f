"""Monitoring engines (pure): obligations of a signed plan, signed reports, compliance, the ledger.

- :mod:`~accord.monitor.obligations` — agreements and the obligations a signed plan creates;
- :mod:`~accord.monitor.reports` — monitors' signed observations; CSV / JSON Lines readers;
- :mod:`~accord.monitor.compliance` — per obligation, per actor, over time;
- :mod:`~accord.monitor.ledger` — RFC 6962 Merkle log: proofs, signed tree heads, audit;
- :mod:`~accord.monitor.keys`, :mod:`~accord.monitor.canonical` — Ed25519 and canonical JSON;
- :mod:`~accord.monitor.synthetic` — the SYNTHETIC demo stream.

Persistence lives in :mod:`accord.store`; the commands in :mod:`accord.cli.monitor`.
See docs/monitor.md.
"""
