import type { Migration } from './index';

/**
 * Message archive and media references. Owned by src/core/archive and src/core/media.
 *
 * Snowflake ids of messages, channels and users are INTEGER columns (they fit in
 * SQLite's signed 64 bits): half the size of text, and they sort numerically, which
 * the sync cursors and the month ranges of transcripts rely on. Read them back with
 * `CAST(col AS TEXT)`: a JS number cannot hold them exactly.
 * Every message keeps its full API object in `raw` beside the normalized columns,
 * so fields Discord adds later are never lost.
 */
export const archive: Migration = {
  version: 3,
  description: 'message archive',
  up(db) {
    db.exec(`
      -- Every channel or thread that holds messages, as last discovered, and its sync state.
      CREATE TABLE archive_channels (
        id               INTEGER PRIMARY KEY,
        parent_id        INTEGER,           -- category for channels, parent channel for threads
        type             INTEGER NOT NULL,
        name             TEXT NOT NULL,
        position         INTEGER,
        is_thread        INTEGER NOT NULL DEFAULT 0,
        raw              TEXT NOT NULL,     -- the channel object as Discord sent it
        status           TEXT NOT NULL DEFAULT 'pending', -- pending | ok | no-access | no-history | error | gone
        problem          TEXT,              -- why it could not be (fully) read
        message_count    INTEGER NOT NULL DEFAULT 0,
        newest_id        INTEGER,           -- newest archived message id: incremental sync asks only 'after' it
        backfill_before  INTEGER,           -- oldest id the first walk has reached (resume point)
        backfill_done    INTEGER NOT NULL DEFAULT 0, -- 1 once the walk reached the first message
        last_sync_at     TEXT,
        pins_seen_at     TEXT,              -- the channel's last_pin_timestamp when its pins were last read
        content_missing  INTEGER NOT NULL DEFAULT 0  -- messages that came back without content (intent off)
      ) STRICT;

      -- Authors, deduplicated; the latest profile, with the raw user object.
      CREATE TABLE users (
        id           INTEGER PRIMARY KEY,
        username     TEXT NOT NULL,
        global_name  TEXT,
        bot          INTEGER NOT NULL DEFAULT 0,
        avatar       TEXT,
        raw          TEXT NOT NULL,
        first_seen   TEXT NOT NULL,
        last_seen    TEXT NOT NULL
      ) STRICT;

      -- Every avatar a user was seen with (the image itself is a media reference).
      CREATE TABLE user_avatars (
        user_id      INTEGER NOT NULL,
        avatar       TEXT NOT NULL,
        first_seen   TEXT NOT NULL,
        PRIMARY KEY (user_id, avatar)
      ) STRICT, WITHOUT ROWID;

      -- Privacy aliases: a stable friendly name per user ("SwiftFox").
      CREATE TABLE user_alias (
        user_id  INTEGER PRIMARY KEY,
        alias    TEXT NOT NULL UNIQUE
      ) STRICT;

      -- Rows are appended in arrival order (implicit rowid) and found by the unique
      -- index on id: the first backup walks channels backwards, interleaved, and
      -- keying the 1 KB rows themselves by id made every insert split pages in the
      -- middle of the table (measured: half the insert rate).
      CREATE TABLE messages (
        id                    INTEGER NOT NULL UNIQUE,
        channel_id            INTEGER NOT NULL,
        author_id             INTEGER,
        type                  INTEGER NOT NULL,
        flags                 INTEGER NOT NULL DEFAULT 0,
        content               TEXT NOT NULL,
        edited_at             TEXT,
        pinned                INTEGER NOT NULL DEFAULT 0,
        reference_type        INTEGER,      -- 0 reply, 1 forward
        reference_message_id  INTEGER,
        reference_channel_id  INTEGER,
        reference_guild_id    INTEGER,
        thread_id             INTEGER,      -- thread started from this message
        webhook_id            INTEGER,
        content_missing       INTEGER NOT NULL DEFAULT 0, -- empty content probably hidden by a missing Message Content intent
        deleted_at            TEXT,         -- seen deleted by a recheck; the message is kept
        raw                   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX messages_by_channel ON messages (channel_id, id);

      -- Earlier versions of messages that changed (edits, reactions, pins), newest last.
      CREATE TABLE message_versions (
        message_id   INTEGER NOT NULL,
        replaced_at  TEXT NOT NULL,
        reason       TEXT NOT NULL,   -- edited | reactions | pinned | updated
        raw          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX message_versions_by_message ON message_versions (message_id);

      CREATE TABLE attachments (
        id            INTEGER PRIMARY KEY,
        message_id    INTEGER NOT NULL,
        filename      TEXT NOT NULL,
        content_type  TEXT,
        size          INTEGER,
        url           TEXT NOT NULL      -- signature stripped
      ) STRICT;
      CREATE INDEX attachments_by_message ON attachments (message_id);

      CREATE TABLE embeds (
        message_id  INTEGER NOT NULL,
        position    INTEGER NOT NULL,
        type        TEXT,
        url         TEXT,
        title       TEXT,
        description TEXT,             -- the full embed is in the message's raw object
        PRIMARY KEY (message_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE reactions (
        message_id    INTEGER NOT NULL,
        emoji         TEXT NOT NULL,     -- unicode emoji, or name:id for custom ones
        emoji_id      INTEGER,
        count         INTEGER NOT NULL,
        count_normal  INTEGER,
        count_burst   INTEGER,
        PRIMARY KEY (message_id, emoji)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE message_stickers (
        message_id   INTEGER NOT NULL,
        sticker_id   INTEGER NOT NULL,
        name         TEXT NOT NULL,
        format_type  INTEGER,
        PRIMARY KEY (message_id, sticker_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE polls (
        message_id         INTEGER PRIMARY KEY,
        question           TEXT,
        allow_multiselect  INTEGER,
        expiry             TEXT              -- the full poll is in the message's raw object
      ) STRICT;

      CREATE TABLE poll_answers (
        message_id  INTEGER NOT NULL,
        answer_id   INTEGER NOT NULL,
        text        TEXT,
        votes       INTEGER,
        PRIMARY KEY (message_id, answer_id)
      ) STRICT, WITHOUT ROWID;

      -- What points at the media pool: one row per (owner, slot). sha256 is NULL
      -- until the file is stored; status says why it is not.
      CREATE TABLE media_refs (
        owner_kind  TEXT NOT NULL,   -- attachment | embed | avatar | emoji | sticker | guild | ...
        owner_id    TEXT NOT NULL,
        slot        TEXT NOT NULL,   -- e.g. 'file', 'image', 'thumbnail', or an avatar hash
        source_url  TEXT NOT NULL,   -- signed URL as received (needed to download it)
        sha256      TEXT,
        status      TEXT NOT NULL DEFAULT 'pending', -- pending | stored | skipped | failed
        problem     TEXT,
        size        INTEGER,
        PRIMARY KEY (owner_kind, owner_id, slot)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX media_refs_pending ON media_refs (status) WHERE status = 'pending';
      CREATE INDEX media_refs_by_sha ON media_refs (sha256) WHERE sha256 IS NOT NULL;

      CREATE TABLE archive_runs (
        id           INTEGER PRIMARY KEY,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        status       TEXT NOT NULL,   -- running | done | cancelled | failed
        report       TEXT
      ) STRICT;
    `);
  },
};
