import { Th, Thead, Tr, Typography } from '@strapi/design-system';

/** A desk table's header row: one small-capitals label per column. */
export function TableHead({ labels }: { labels: string[] }) {
  return (
    <Thead>
      <Tr>
        {labels.map((label) => (
          <Th key={label}>
            <Typography variant="sigma">{label}</Typography>
          </Th>
        ))}
      </Tr>
    </Thead>
  );
}
