-- A project file as Transfer Studio 0.1's first project format (version 1) wrote it, with a
-- little content. tst_project loads it statement by statement and opens it to test the
-- upgrade to the current format.
PRAGMA application_id = 1414747204;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE corpora( id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);
CREATE TABLE documents( id INTEGER PRIMARY KEY, corpus_id INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE, split TEXT NOT NULL CHECK(split IN ('train','validation','test','unlabeled')), label TEXT, text TEXT NOT NULL, domain TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '');
CREATE INDEX documents_by_corpus ON documents(corpus_id, split);
CREATE TABLE models( id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL CHECK(kind IN ('huggingface','builtin')), architecture TEXT NOT NULL, location TEXT NOT NULL DEFAULT '', config_json TEXT NOT NULL DEFAULT '{}', parameters INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE TABLE runs( id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', strategy TEXT NOT NULL, source_corpus_id INTEGER REFERENCES corpora(id) ON DELETE SET NULL, target_corpus_id INTEGER REFERENCES corpora(id) ON DELETE SET NULL, model_id INTEGER REFERENCES models(id) ON DELETE SET NULL, config_json TEXT NOT NULL DEFAULT '{}', init_seed INTEGER NOT NULL, data_seed INTEGER NOT NULL, device TEXT NOT NULL DEFAULT 'cpu', status TEXT NOT NULL CHECK(status IN ('queued','running','finished','failed','cancelled','interrupted')), created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, error_text TEXT NOT NULL DEFAULT '');
CREATE TABLE metrics( id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL, epoch REAL NOT NULL, split TEXT NOT NULL, metric TEXT NOT NULL, value REAL NOT NULL, time REAL NOT NULL);
CREATE INDEX metrics_by_run ON metrics(run_id, split, metric, step);
INSERT INTO meta(key, value) VALUES ('schema_version', '1');
INSERT INTO corpora(id, name, created_at) VALUES (1, 'music', '2026-11-01T10:00:00Z');
INSERT INTO corpora(id, name, created_at) VALUES (2, 'video', '2026-11-01T10:05:00Z');
INSERT INTO documents(corpus_id, split, label, text) VALUES (1, 'train', '1', 'a wonderful album , every track is a joy');
INSERT INTO documents(corpus_id, split, label, text) VALUES (1, 'train', '0', 'the mix is muddy and the vocals are flat');
INSERT INTO documents(corpus_id, split, label, text) VALUES (2, 'test', '1', 'the best season of the show so far');
INSERT INTO documents(corpus_id, split, label, text) VALUES (2, 'unlabeled', NULL, 'arrived on time , plays fine');
INSERT INTO models(id, name, kind, architecture, created_at) VALUES (1, 'tiny-encoder', 'builtin', 'bert', '2026-11-01T10:10:00Z');
INSERT INTO runs(id, strategy, source_corpus_id, target_corpus_id, model_id, init_seed, data_seed, status, created_at) VALUES (1, 'source-only', 1, 2, 1, 13, 17, 'finished', '2026-11-01T10:20:00Z');
INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) VALUES (1, 10, 0.5, 'source/validation', 'accuracy', 0.71, 1793527200.0);
INSERT INTO metrics(run_id, step, epoch, split, metric, value, time) VALUES (1, 10, 0.5, 'target/validation', 'accuracy', 0.64, 1793527200.0);
