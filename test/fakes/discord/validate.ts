/**
 * What Discord answers 400 (50035 Invalid Form Body) for, checked independently of the adapter's
 * own limits module so a mistake there is caught here.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export function messageProblems(body: any, { requireSomething = true } = {}): string[] {
  const p: string[] = [];
  if (!body || typeof body !== 'object') return ['body is not an object'];
  const content: string = body.content ?? '';
  if (content.length > 2000) p.push(`content: must be 2000 or fewer in length (${content.length})`);
  const embeds: any[] = body.embeds ?? [];
  if (embeds.length > 10) p.push('embeds: at most 10');
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const title = e.title ?? '';
    const description = e.description ?? '';
    if (title.length > 256) p.push(`embeds.${i}.title: too long`);
    if (description.length > 4096) p.push(`embeds.${i}.description: must be 4096 or fewer in length (${description.length})`);
    const fields: any[] = e.fields ?? [];
    if (fields.length > 25) p.push(`embeds.${i}.fields: at most 25`);
    for (const f of fields) {
      if (!f.name || f.name.length > 256) p.push(`embeds.${i}.fields.name: 1-256`);
      if (!f.value || f.value.length > 1024) p.push(`embeds.${i}.fields.value: 1-1024`);
      total += (f.name ?? '').length + (f.value ?? '').length;
    }
    if ((e.footer?.text ?? '').length > 2048) p.push(`embeds.${i}.footer.text: too long`);
    total += title.length + description.length + (e.footer?.text ?? '').length + (e.author?.name ?? '').length;
  }
  if (total > 6000) p.push(`embeds: total ${total} > 6000`);
  const rows: any[] = body.components ?? [];
  if (rows.length > 5) p.push(`components: at most 5 rows (${rows.length})`);
  const ids = new Set<string>();
  for (const [r, row] of rows.entries()) {
    if (row.type !== 1) p.push(`components.${r}: must be an action row`);
    const parts: any[] = row.components ?? [];
    if (parts.length === 0 || parts.length > 5) p.push(`components.${r}: 1-5 components`);
    const selects = parts.filter((c) => c.type === 3).length;
    if (selects && parts.length > 1) p.push(`components.${r}: a select menu fills its row`);
    for (const c of parts) {
      if (c.custom_id !== undefined) {
        if (typeof c.custom_id !== 'string' || c.custom_id.length === 0 || c.custom_id.length > 100)
          p.push(`custom_id: 1-100 (${c.custom_id?.length})`);
        if (ids.has(c.custom_id)) p.push(`custom_id: duplicate ${c.custom_id}`);
        ids.add(c.custom_id);
      }
      if (c.type === 2 && (c.label ?? '').length > 80) p.push('button label: 80 or fewer');
      if (c.type === 3) {
        const options: any[] = c.options ?? [];
        if (options.length === 0 || options.length > 25) p.push('select options: 1-25');
        for (const o of options)
          if (!o.label || o.label.length > 100 || !o.value || o.value.length > 100) p.push('select option: label and value 1-100');
      }
    }
  }
  if (requireSomething && !content && embeds.length === 0 && !body.attachments?.length) p.push('Cannot send an empty message');
  return p;
}

export function choiceProblems(choices: any): string[] {
  const p: string[] = [];
  if (!Array.isArray(choices)) return ['choices must be an array'];
  if (choices.length > 25) p.push(`choices: at most 25 (${choices.length})`);
  for (const c of choices) {
    if (typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100) p.push(`choice name 1-100 (${c.name?.length})`);
    if (typeof c.value === 'string' && c.value.length > 100) p.push('choice value 100 or fewer');
  }
  return p;
}
