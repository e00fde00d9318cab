-- MCP Streamable HTTP sessions shared by every replica (issue 17): a session opened on one replica
-- is served by any other, so no sticky routing is needed. The transport itself is rebuilt on the
-- replica that receives a request; only who the session belongs to and when it was used is shared.
CREATE TABLE mcp_sessions (
  id         text PRIMARY KEY,
  subject    text,
  owner      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mcp_sessions_last_used_idx ON mcp_sessions (last_used);
