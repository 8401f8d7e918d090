"""The search index (catalog.search), kept by the database itself on every write.

Nothing here is a Django model or field: the ORM never reads or writes it, so `.values()`,
`makemigrations` and the loader's column lists do not see it.

- SQLite: FTS5 tables with external content (the text stays in catalog_node / catalog_column
  only), kept in step by triggers, plus indexes on lower(name) for exact and prefix names.
- PostgreSQL: a narrow table of search documents (tsvector, GIN) and one of code, kept in step
  by triggers, with an index on lower(name).

Every write path (the loader's bulk inserts, ORM saves and cascades, environment deletion) goes
through the triggers, inside the writer's transaction: search sees a load whole or not at all.

Words are split the same way on both: at every character that is not a letter or a digit
("stg_orders" is "stg" "orders"), lower-cased, no stemming, accents kept. SQLite's unicode61
tokenizer does that; on PostgreSQL the 'simple' configuration does once the punctuation its
parser would read as part of a host, a path or an e-mail address is turned into spaces.

Caution for later migrations on SQLite: an operation that makes Django rebuild catalog_node or
catalog_column (create a copy, move the rows, drop the old table) drops their triggers and
lower(name) indexes with the old table. Such a migration must create them again and rebuild
the FTS tables; tests/catalog/test_search.py fails when the triggers are missing.
"""

from django.db import migrations

FTS_TOKENIZER = "unicode61 remove_diacritics 0"


def has_code(node: str) -> str:
    """Whether a node's code is indexed: not a generic test's, the same few tokens 20k times
    over ("{{ test_not_null(**_dbt_generic_test_kwargs) }}"): its name says all of it."""
    return f"{node}.raw_code <> '' AND {node}.test_type <> 'generic'"


HAS_CODE = has_code("n")

SQLITE_UP = [
    # Nodes: what they are called and described as, and their code apart, so that a node
    # matching only in its code can be told apart and ranked last. The code index keeps no
    # content (content=''), since it indexes only some nodes' code.
    f"""CREATE VIRTUAL TABLE catalog_node_fts USING fts5(
        name, description, tags,
        content='catalog_node', content_rowid='id', tokenize='{FTS_TOKENIZER}')""",
    f"""CREATE VIRTUAL TABLE catalog_node_code_fts USING fts5(
        raw_code, content='', tokenize='{FTS_TOKENIZER}')""",
    f"""CREATE VIRTUAL TABLE catalog_column_fts USING fts5(
        name, description,
        content='catalog_column', content_rowid='id', tokenize='{FTS_TOKENIZER}')""",
    f"""CREATE TRIGGER catalog_node_fts_insert AFTER INSERT ON catalog_node BEGIN
        INSERT INTO catalog_node_fts (rowid, name, description, tags)
        VALUES (new.id, new.name, new.description, new.tags);
        INSERT INTO catalog_node_code_fts (rowid, raw_code)
        SELECT new.id, new.raw_code WHERE {has_code("new")};
    END""",
    # FTS5 must be told the old values to take them out of the index.
    f"""CREATE TRIGGER catalog_node_fts_delete AFTER DELETE ON catalog_node BEGIN
        INSERT INTO catalog_node_fts (catalog_node_fts, rowid, name, description, tags)
        VALUES ('delete', old.id, old.name, old.description, old.tags);
        INSERT INTO catalog_node_code_fts (catalog_node_code_fts, rowid, raw_code)
        SELECT 'delete', old.id, old.raw_code WHERE {has_code("old")};
    END""",
    # Only updates of indexed columns: the loader's pointer updates (last_execution, ...)
    # touch every node and must not re-index them.
    """CREATE TRIGGER catalog_node_fts_update AFTER UPDATE OF name, description, tags
    ON catalog_node BEGIN
        INSERT INTO catalog_node_fts (catalog_node_fts, rowid, name, description, tags)
        VALUES ('delete', old.id, old.name, old.description, old.tags);
        INSERT INTO catalog_node_fts (rowid, name, description, tags)
        VALUES (new.id, new.name, new.description, new.tags);
    END""",
    f"""CREATE TRIGGER catalog_node_code_fts_update AFTER UPDATE OF raw_code, test_type
    ON catalog_node BEGIN
        INSERT INTO catalog_node_code_fts (catalog_node_code_fts, rowid, raw_code)
        SELECT 'delete', old.id, old.raw_code WHERE {has_code("old")};
        INSERT INTO catalog_node_code_fts (rowid, raw_code)
        SELECT new.id, new.raw_code WHERE {has_code("new")};
    END""",
    """CREATE TRIGGER catalog_column_fts_insert AFTER INSERT ON catalog_column BEGIN
        INSERT INTO catalog_column_fts (rowid, name, description)
        VALUES (new.id, new.name, new.description);
    END""",
    """CREATE TRIGGER catalog_column_fts_delete AFTER DELETE ON catalog_column BEGIN
        INSERT INTO catalog_column_fts (catalog_column_fts, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description);
    END""",
    """CREATE TRIGGER catalog_column_fts_update AFTER UPDATE OF name, description
    ON catalog_column BEGIN
        INSERT INTO catalog_column_fts (catalog_column_fts, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description);
        INSERT INTO catalog_column_fts (rowid, name, description)
        VALUES (new.id, new.name, new.description);
    END""",
    # Index what is already there.
    "INSERT INTO catalog_node_fts (catalog_node_fts) VALUES ('rebuild')",
    "INSERT INTO catalog_node_code_fts (rowid, raw_code) "
    f"SELECT n.id, n.raw_code FROM catalog_node n WHERE {HAS_CODE}",
    "INSERT INTO catalog_column_fts (catalog_column_fts) VALUES ('rebuild')",
    "CREATE INDEX catalog_node_env_lower_name ON catalog_node (environment_id, lower(name))",
    "CREATE INDEX catalog_column_lower_name ON catalog_column (lower(name))",
]
SQLITE_DOWN = [
    "DROP INDEX IF EXISTS catalog_column_lower_name",
    "DROP INDEX IF EXISTS catalog_node_env_lower_name",
    "DROP TRIGGER IF EXISTS catalog_column_fts_update",
    "DROP TRIGGER IF EXISTS catalog_column_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_column_fts_insert",
    "DROP TRIGGER IF EXISTS catalog_node_code_fts_update",
    "DROP TRIGGER IF EXISTS catalog_node_fts_update",
    "DROP TRIGGER IF EXISTS catalog_node_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_node_fts_insert",
    "DROP TABLE IF EXISTS catalog_column_fts",
    "DROP TABLE IF EXISTS catalog_node_code_fts",
    "DROP TABLE IF EXISTS catalog_node_fts",
]


# PostgreSQL: one narrow table of search documents (a node's name, description and tags, or a
# column's name and description, with what facets and ranking need of its node), and one of
# nodes' code. Why not generated tsvector columns on catalog_node and catalog_column: measured
# on the 10k-model project, they made the first load twice as slow (13 s to 25 s: PostgreSQL
# recomputes them, code included, and re-indexes them on every UPDATE of a node, which the
# loader does to point each node at its latest run), and search read catalog_node's wide rows
# (60 MB of code and JSON) and joined columns to them: 400 ms for a query matching 50k results
# (200 ms here). Statement-level triggers index each COPY batch set-based; updates are per row,
# and only when indexed text changed. The first load takes 3.5 s longer (13 s to 16.6 s).
WORDS = """CREATE FUNCTION catalog_search_words(value text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    -- The default parser reads "a.b" as a host, "a/b" as a path, "a-b" as a hyphenated word,
    -- "a@b.c" as an e-mail and "<b>" as a tag (which 'simple' drops): make them plain words.
    -- (replace() six times over is 6x faster than one translate() here.) Long texts are cut:
    -- a tsvector cannot exceed 1 MB.
    AS $$ SELECT to_tsvector('simple',
        replace(replace(replace(replace(replace(replace(replace(replace(replace(
            left(value, 200000),
            '.', ' '), '_', ' '), '-', ' '), '/', ' '), ':', ' '), '@', ' '), '<', ' '), '>', ' '),
            '&', ' ')) $$"""
NODE_DOCUMENT = """0, n.id, n.id, n.environment_id, n.name, lower(n.name), n.name, n.resource_type,
    n.package_name,
    n.access, coalesce(nullif(n.owner_email, ''), n.owner_name), n.tags,
    setweight(catalog_search_words(n.name), 'A')
    || setweight(catalog_search_words(n.description), 'B')
    || setweight(catalog_search_words(n.tags::text), 'C')"""
COLUMN_DOCUMENT = """1, c.id, c.node_id, n.environment_id, c.name, lower(c.name), n.name, 'column',
    n.package_name,
    n.access, coalesce(nullif(n.owner_email, ''), n.owner_name), n.tags,
    setweight(catalog_search_words(c.name), 'A')
    || setweight(catalog_search_words(c.description), 'B')"""
DOCUMENT_COLUMNS = """kind, ref_id, node_id, environment_id, name, lname, node_name, type, package,
    access, owner, tags, document"""

POSTGRESQL_UP = [
    WORDS,
    """CREATE TABLE catalog_search_document (
        kind smallint NOT NULL,  -- 0: a node, 1: a column
        ref_id bigint NOT NULL,  -- catalog_node.id or catalog_column.id
        node_id bigint NOT NULL,
        environment_id bigint NOT NULL,
        name text NOT NULL,
        lname text NOT NULL,  -- lower(name)
        node_name text NOT NULL,
        type text NOT NULL,  -- the node's resource type, or 'column'
        package text NOT NULL,
        access text NOT NULL,
        owner text NOT NULL,
        tags jsonb NOT NULL,
        -- Weights: A name, B description, C tags.
        document tsvector NOT NULL,
        PRIMARY KEY (kind, ref_id)
    )""",
    """CREATE TABLE catalog_search_code (
        node_id bigint PRIMARY KEY,
        environment_id bigint NOT NULL,
        code tsvector NOT NULL
    )""",
    f"""CREATE FUNCTION catalog_search_nodes_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO catalog_search_document ({DOCUMENT_COLUMNS})
        SELECT {NODE_DOCUMENT} FROM inserted n;
        INSERT INTO catalog_search_code (node_id, environment_id, code)
        SELECT n.id, n.environment_id, catalog_search_words(n.raw_code)
        FROM inserted n WHERE {HAS_CODE};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_search_nodes_inserted AFTER INSERT ON catalog_node
        REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_search_nodes_inserted()""",
    f"""CREATE FUNCTION catalog_search_columns_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- OFFSET 0 keeps the node lookup a nested loop on its primary key: the planner knows
        -- nothing of a transition table and would hash all of catalog_node for each batch.
        INSERT INTO catalog_search_document ({DOCUMENT_COLUMNS})
        SELECT {COLUMN_DOCUMENT} FROM inserted c
        CROSS JOIN LATERAL (SELECT * FROM catalog_node WHERE id = c.node_id OFFSET 0) n;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_search_columns_inserted AFTER INSERT ON catalog_column
        REFERENCING NEW TABLE AS inserted
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_search_columns_inserted()""",
    """CREATE FUNCTION catalog_search_nodes_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_search_document WHERE kind = 0 AND ref_id IN (SELECT id FROM deleted);
        DELETE FROM catalog_search_code WHERE node_id IN (SELECT id FROM deleted);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_search_nodes_deleted AFTER DELETE ON catalog_node
        REFERENCING OLD TABLE AS deleted
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_search_nodes_deleted()""",
    """CREATE FUNCTION catalog_search_columns_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_search_document WHERE kind = 1 AND ref_id IN (SELECT id FROM deleted);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_search_columns_deleted AFTER DELETE ON catalog_column
        REFERENCING OLD TABLE AS deleted
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_search_columns_deleted()""",
    # Updates: a node's own document and code, and what its columns' documents copy of it.
    # Rare (the loader replaces a changed node); the WHEN clauses keep the loader's pointer
    # updates (last_execution, ...) from reaching the function at all.
    f"""CREATE FUNCTION catalog_search_node_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_search_document WHERE kind = 0 AND ref_id = OLD.id;
        DELETE FROM catalog_search_code WHERE node_id = OLD.id;
        INSERT INTO catalog_search_document ({DOCUMENT_COLUMNS})
        SELECT {NODE_DOCUMENT} FROM (SELECT NEW.*) n;
        INSERT INTO catalog_search_code (node_id, environment_id, code)
        SELECT n.id, n.environment_id, catalog_search_words(n.raw_code)
        FROM (SELECT NEW.*) n WHERE {HAS_CODE};
        UPDATE catalog_search_document d
        SET environment_id = NEW.environment_id, node_name = NEW.name, package = NEW.package_name,
            access = NEW.access, owner = coalesce(nullif(NEW.owner_email, ''), NEW.owner_name),
            tags = NEW.tags
        FROM catalog_column c WHERE c.node_id = NEW.id AND d.kind = 1 AND d.ref_id = c.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_search_node_updated AFTER UPDATE ON catalog_node FOR EACH ROW
        WHEN ((OLD.name, OLD.description, OLD.tags, OLD.raw_code, OLD.resource_type,
               OLD.package_name, OLD.access, OLD.owner_email, OLD.owner_name,
               OLD.environment_id, OLD.test_type)
              IS DISTINCT FROM
              (NEW.name, NEW.description, NEW.tags, NEW.raw_code, NEW.resource_type,
               NEW.package_name, NEW.access, NEW.owner_email, NEW.owner_name,
               NEW.environment_id, NEW.test_type))
        EXECUTE FUNCTION catalog_search_node_updated()""",
    f"""CREATE FUNCTION catalog_search_column_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_search_document WHERE kind = 1 AND ref_id = OLD.id;
        INSERT INTO catalog_search_document ({DOCUMENT_COLUMNS})
        SELECT {COLUMN_DOCUMENT} FROM (SELECT NEW.*) c JOIN catalog_node n ON n.id = c.node_id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_search_column_updated AFTER UPDATE ON catalog_column FOR EACH ROW
        WHEN ((OLD.name, OLD.description, OLD.node_id)
              IS DISTINCT FROM (NEW.name, NEW.description, NEW.node_id))
        EXECUTE FUNCTION catalog_search_column_updated()""",
    # Django's flush (tests, bench/ingest.py) empties tables with TRUNCATE, which fires no
    # DELETE trigger.
    """CREATE FUNCTION catalog_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'catalog_node' THEN
            TRUNCATE catalog_search_document, catalog_search_code;
        ELSE
            DELETE FROM catalog_search_document WHERE kind = 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER catalog_search_nodes_truncated AFTER TRUNCATE ON catalog_node
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_search_truncated()""",
    """CREATE TRIGGER catalog_search_columns_truncated AFTER TRUNCATE ON catalog_column
        FOR EACH STATEMENT EXECUTE FUNCTION catalog_search_truncated()""",
    # Index what is already there.
    f"INSERT INTO catalog_search_document ({DOCUMENT_COLUMNS}) SELECT {NODE_DOCUMENT} "
    "FROM catalog_node n",
    f"INSERT INTO catalog_search_document ({DOCUMENT_COLUMNS}) SELECT {COLUMN_DOCUMENT} "
    "FROM catalog_column c JOIN catalog_node n ON n.id = c.node_id",
    "INSERT INTO catalog_search_code (node_id, environment_id, code) "
    "SELECT n.id, n.environment_id, catalog_search_words(n.raw_code) FROM catalog_node n "
    f"WHERE {HAS_CODE}",
    "CREATE INDEX catalog_search_document_words ON catalog_search_document USING gin (document)",
    "CREATE INDEX catalog_search_code_words ON catalog_search_code USING gin (code)",
    # Exact and prefix names, and suggestions as you type. "C": byte order, whatever the
    # database's collation, so that a range on a prefix finds exactly the names that start with
    # it (and sorts as SQLite does).
    """CREATE INDEX catalog_search_document_name
        ON catalog_search_document (environment_id, kind, lname COLLATE "C")""",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS catalog_search_columns_truncated ON catalog_column",
    "DROP TRIGGER IF EXISTS catalog_search_nodes_truncated ON catalog_node",
    "DROP TRIGGER IF EXISTS catalog_search_column_updated ON catalog_column",
    "DROP TRIGGER IF EXISTS catalog_search_node_updated ON catalog_node",
    "DROP TRIGGER IF EXISTS catalog_search_columns_deleted ON catalog_column",
    "DROP TRIGGER IF EXISTS catalog_search_nodes_deleted ON catalog_node",
    "DROP TRIGGER IF EXISTS catalog_search_columns_inserted ON catalog_column",
    "DROP TRIGGER IF EXISTS catalog_search_nodes_inserted ON catalog_node",
    "DROP FUNCTION IF EXISTS catalog_search_truncated()",
    "DROP FUNCTION IF EXISTS catalog_search_column_updated()",
    "DROP FUNCTION IF EXISTS catalog_search_node_updated()",
    "DROP FUNCTION IF EXISTS catalog_search_columns_deleted()",
    "DROP FUNCTION IF EXISTS catalog_search_nodes_deleted()",
    "DROP FUNCTION IF EXISTS catalog_search_columns_inserted()",
    "DROP FUNCTION IF EXISTS catalog_search_nodes_inserted()",
    "DROP TABLE IF EXISTS catalog_search_code",
    "DROP TABLE IF EXISTS catalog_search_document",
    "DROP FUNCTION IF EXISTS catalog_search_words(text)",
]


def statements(vendor: str, up: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    if vendor == "postgresql":
        return POSTGRESQL_UP if up else POSTGRESQL_DOWN
    raise NotImplementedError(f"search has no index for {vendor}")


def create(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, up=True):
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, up=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_node_folder"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
