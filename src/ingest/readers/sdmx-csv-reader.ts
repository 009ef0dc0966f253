export async function openSdmxCsvReader(_file: string, _o: { mapping: string }): Promise<never> {
  throw new Error('todo');
}
