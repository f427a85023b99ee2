// name: shortest_path
// question: The shortest chain of stated facts linking two actors (ignoring direction and article links).
// params: source (entity) - first actor (name, alias or id); target (entity) - second actor (name, alias or id)
MATCH (a:Entity) WHERE a.id = $source OR a.name = $source OR $source IN coalesce(a.aliases, []) OR $source_key IN coalesce(a.search_keys, [])
MATCH (b:Entity) WHERE b.id = $target OR b.name = $target OR $target IN coalesce(b.aliases, []) OR $target_key IN coalesce(b.search_keys, [])
WITH a, b WHERE a <> b
MATCH p = allShortestPaths((a)-[:REPRESENTS|PARTICIPATED_IN|HOSTED_BY|CONVENED_BY|CHAIRED_BY|HELD_IN|ADOPTED_BY|ESTABLISHES|ISSUED|DISCUSSED|PRESENTED_BY|MEMBER_OF|PART_OF|NEGOTIATED_BY|OPERATES_IN|LOCATED_IN|CITES*..10]-(b))
WITH p, [n IN nodes(p) | n.id] AS ids ORDER BY ids LIMIT 1
UNWIND range(0, length(p) - 1) AS i
WITH i, relationships(p)[i] AS r, nodes(p)[i] AS x, nodes(p)[i + 1] AS y
RETURN i + 1 AS step, x.name AS from, type(r) AS predicate,
       CASE WHEN startNode(r) = x THEN '->' ELSE '<-' END AS direction, y.name AS to,
       coalesce(r.role, '') AS role, r.articles AS articles
ORDER BY step
