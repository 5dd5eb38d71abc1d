fn main() {
    println!("layerlint");
}
