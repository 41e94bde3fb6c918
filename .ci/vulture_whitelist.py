"""Names vulture cannot see used, because a framework calls them (`vulture src .ci/vulture_whitelist.py`).

Each line names what calls it. Anything else vulture reports in src/ is dead code: delete it.
"""
# ruff: noqa: B018
_ = object()

# http.server / socketserver call these by name
_.do_GET, _.do_HEAD, _.do_POST, _.do_PUT, _.do_DELETE, _.do_PATCH, _.do_OPTIONS
_.log_message, _.protocol_version, _.daemon_threads, _.allow_reuse_address, _.address_family
_.disable_nagle_algorithm
# signal handlers and BaseHTTPRequestHandler.log_message take arguments they do not use
_.args, _.frame, _.signum
# html.parser.HTMLParser calls these by name (ingest/readers.py)
_.handle_starttag, _.handle_endtag, _.handle_data, _.attrs
# owlready2 reads its module attribute JAVA_EXE (graph/reason.py)
_.JAVA_EXE
# ingest/link.py dispatches a mention's kind to `_<kind>` with getattr
_._phrase, _._un_resolution, _._itu_resolution, _._meeting, _._action_line
_._sdg_goal, _._sdg_target, _._sdg_indicator, _._sdg_scheme, _._action_line_scheme, _._event_series, _._own_group
# templates read this dataclass field (views/site.py Value.long)
_.long
# the library's own API for running a canned query with its parameters (tests and scripts call it)
_.run_canned
