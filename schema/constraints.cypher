// Neo4j schema of the knowledge graph: one unique `id` per label, plus lookup indexes.
// Applied by kg.neo4j.writer before every load; every statement is idempotent (IF NOT EXISTS).
// Every entity node carries the label Entity and exactly one type label below.

CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT state_id IF NOT EXISTS FOR (n:State) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (n:Organization) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT meeting_id IF NOT EXISTS FOR (n:Meeting) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT resolution_id IF NOT EXISTS FOR (n:Resolution) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;

CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name);
CREATE INDEX entity_wikidata IF NOT EXISTS FOR (n:Entity) ON (n.wikidata);
CREATE INDEX meeting_date IF NOT EXISTS FOR (n:Meeting) ON (n.date);
CREATE INDEX resolution_number IF NOT EXISTS FOR (n:Resolution) ON (n.number);
CREATE INDEX article_date IF NOT EXISTS FOR (n:Article) ON (n.date);

// The lock `kg load` takes so that loads into one database take turns (kg/neo4j/writer.py, _load_lock).
// No KgLoadLock node is ever committed: the constraint is what makes a second load wait.
CREATE CONSTRAINT kg_load_lock IF NOT EXISTS FOR (n:KgLoadLock) REQUIRE n.id IS UNIQUE;
