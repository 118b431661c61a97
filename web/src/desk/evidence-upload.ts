/**
 * One evidence file to `POST /evidence`, with upload progress (XMLHttpRequest reports it; fetch
 * does not). Resolves to the evidence id the graph then takes in `submitCase`.
 */
import { freshAuthorizationHeader } from './session.ts';

export async function uploadEvidence(file: File, onProgress: (fraction: number) => void): Promise<string> {
  const authorization = await freshAuthorizationHeader();
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/evidence');
    for (const [name, value] of Object.entries(authorization)) request.setRequestHeader(name, value);
    request.setRequestHeader('content-type', file.type || 'application/octet-stream');
    request.setRequestHeader('x-filename', encodeURIComponent(file.name));
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      try {
        const body = JSON.parse(request.responseText) as { id?: string; errors?: Array<{ message: string }> };
        if (request.status === 201 && body.id) {
          onProgress(1);
          resolve(body.id);
        } else {
          reject(new Error(body.errors?.[0]?.message ?? `upload failed (${request.status})`));
        }
      } catch {
        reject(new Error(`upload failed (${request.status})`));
      }
    };
    request.onerror = () => reject(new Error('network'));
    request.send(file);
  });
}
