// name: represents_state
// question: Who represents state (or organization) X, in which roles and on which dates, and where was it read?
// params: state (entity) - the state's name, one of its aliases, or its id (e.g. الكويت, Q817)
MATCH (s:Entity)
WHERE s.id = $state OR s.name = $state OR $state IN coalesce(s.aliases, []) OR $state_key IN coalesce(s.search_keys, [])
MATCH (p:Entity)-[r:REPRESENTS]->(s)
RETURN p.name AS person, p.id AS person_id, coalesce(r.role, '') AS role,
       coalesce(r.dates, []) AS dates, s.name AS represents, r.articles AS articles
ORDER BY person, role, person_id
