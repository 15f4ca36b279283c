import Image from "next/image";

export default function Home() {
  return <Image src="https://cdn.example.com/uploads/hero.jpg" alt="" width={1200} height={600} />;
}
