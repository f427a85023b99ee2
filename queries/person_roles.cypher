// name: person_roles
// question: Which roles has a person held, for whom, on which dates, and in which articles?
// params: person (entity) - the person's name, one of its aliases, or its id (e.g. فورونكوف)
MATCH (p:Person)
WHERE p.id = $person OR p.name = $person OR $person IN coalesce(p.aliases, []) OR $person_key IN coalesce(p.search_keys, [])
MATCH (p)-[r:REPRESENTS]->(x:Entity)
RETURN p.name AS person, coalesce(r.role, '') AS role, x.name AS for_entity, x.type AS for_type,
       coalesce(r.dates, []) AS dates, r.articles AS articles
ORDER BY role, for_entity
