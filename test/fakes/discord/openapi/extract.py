"""
Extracts the request schemas the fake Discord checks (and every schema they reference) from
Discord's published OpenAPI description (github.com/discord/discord-api-spec, MIT licence), so the
repository keeps only what the tests need. Run: python3 extract.py path/to/openapi.json <commit>
"""
import json, sys

spec = json.load(open(sys.argv[1]))
commit = sys.argv[2] if len(sys.argv) > 2 else 'unknown'
ROUTES = {
    'createMessage': ('/channels/{channel_id}/messages', 'post'),
    'interactionCallback': ('/interactions/{interaction_id}/{interaction_token}/callback', 'post'),
    'followUp': ('/webhooks/{webhook_id}/{webhook_token}', 'post'),
    'editOriginal': ('/webhooks/{webhook_id}/{webhook_token}/messages/@original', 'patch'),
    'createThread': ('/channels/{channel_id}/threads', 'post'),
    'putCommands': ('/applications/{application_id}/commands', 'put'),
}
schemas = spec['components']['schemas']
keep = {}

def walk(node):
    if isinstance(node, dict):
        ref = node.get('$ref')
        if ref and ref.startswith('#/components/schemas/'):
            name = ref.split('/')[-1]
            if name not in keep:
                keep[name] = schemas[name]
                walk(schemas[name])
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)

routes = {}
for key, (path, method) in ROUTES.items():
    body = spec['paths'][path][method]['requestBody']['content']['application/json']['schema']
    routes[key] = body
    walk(body)

out = {
    'source': f'https://github.com/discord/discord-api-spec/blob/{commit}/specs/openapi.json',
    'licence': 'MIT License, Copyright 2023 Discord (see the source repository LICENSE)',
    'openapi': spec['openapi'],
    'apiVersion': spec['info']['version'],
    'routes': routes,
    'components': {'schemas': dict(sorted(keep.items()))},
}
json.dump(out, sys.stdout, ensure_ascii=False, separators=(',', ':'))
