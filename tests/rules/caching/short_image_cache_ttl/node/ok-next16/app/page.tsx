import Image from "next/image";

export default function Home() {
  return <Image src="https://cdn.example.com/a.jpg" alt="" width={800} height={400} />;
}
