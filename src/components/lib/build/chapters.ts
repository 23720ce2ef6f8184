import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** All chapters in reading order. */
export async function orderedChapters(): Promise<Chapter[]> {
  return (await getCollection('chapters')).sort((a, b) => a.data.order - b.data.order);
}

/** The site-relative URL of a chapter, honouring the configured base path. */
export function chapterHref(chapter: Chapter): string {
  return `${import.meta.env.BASE_URL.replace(/\/$/, '')}/chapters/${chapter.id}/`;
}
