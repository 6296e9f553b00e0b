# The seed's design, for the side-by-side bench (bench/compare.ts): a Flask app that asks Gemini for a streamed
# reply and re-sends each chunk's text as `data:` lines, then `data: [DONE]`. Served by gunicorn with the gevent
# worker (2 workers), which monkey-patches the standard library so urllib's sockets yield to other streams.
#
# The seed called Google's Python SDK (google-generativeai); that package is not in Debian, so this calls the
# same REST stream (`:streamGenerateContent?alt=sse`) directly with urllib and parses the SSE lines itself,
# which is what the SDK's streaming path does underneath (minus its response objects).
import json
import os
import urllib.request

from flask import Flask, Response, request

GEMINI_BASE_URL = os.environ['GEMINI_BASE_URL'].rstrip('/')
GEMINI_API_KEY = os.environ['GEMINI_API_KEY']
GEMINI_MODEL = os.environ.get('GEMINI_MODEL', 'gemini-2.5-flash')

app = Flask(__name__)


@app.get('/health')
def health():
    return {'ok': True}


@app.get('/chat/stream')
def chat_stream():
    message = request.args.get('message', '')
    body = json.dumps({'contents': [{'role': 'user', 'parts': [{'text': message}]}], 'generationConfig': {}, 'safetySettings': []}).encode()
    upstream = urllib.request.Request(
        f'{GEMINI_BASE_URL}/v1beta/models/{GEMINI_MODEL}:streamGenerateContent?alt=sse',
        data=body,
        method='POST',
        headers={'content-type': 'application/json', 'x-goog-api-key': GEMINI_API_KEY},
    )

    def events():
        with urllib.request.urlopen(upstream, timeout=60) as reply:
            for raw in reply:
                line = raw.decode('utf-8').rstrip('\r\n')
                if not line.startswith('data:'):
                    continue
                chunk = json.loads(line[5:])
                parts = ((chunk.get('candidates') or [{}])[0].get('content') or {}).get('parts') or []
                text = ''.join(part.get('text', '') for part in parts)
                if text:
                    yield ''.join(f'data: {piece}\n' for piece in text.split('\n')) + '\n'
        yield 'data: [DONE]\n\n'

    return Response(events(), mimetype='text/event-stream', headers={'cache-control': 'no-cache'})
